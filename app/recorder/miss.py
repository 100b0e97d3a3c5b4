"""``serve --record-on-miss``: answer from the fixtures; what no rule matches is forwarded
upstream, recorded, and loaded, so the same request is answered locally next time.

The pipeline stays pure: matching raises ``NoRuleMatched`` (``fixtures.playback``) and the
web edge (``routes.messages``) asks ``MissForwarder.answer`` for the ASGI answer, which
relays the request (``upstream``), records it (``capture``) and reloads the fixtures before
the answer's last byte, so a client that has its answer finds the rule in place.

The forwarded answer goes out through the sandbox's front like any other: it carries the
sandbox's ``request-id`` (the journal's), the upstream's as ``x-sandbox-upstream-request-id``;
the upstream's organization and rate-limit headers give way to the sandbox's own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import anyio

from ..errors import FixtureError, OutDirError
from ..journal import MESSAGE_KEY
from .capture import Capture
from .proxy import open_recording
from .recording import Recording
from .redact import Redactor
from .upstream import Asgi, HeaderList, Receive, Relayed, Scope, Send, Tap, Upstream

log = logging.getLogger("messages_sandbox.recorder")

UPSTREAM_REQUEST_ID = b"x-sandbox-upstream-request-id"
_SANDBOX_OWN = (b"anthropic-organization-id", b"anthropic-ratelimit-", b"date")


def sandbox_headers(headers: HeaderList) -> HeaderList:
    out = []
    for name, value in headers:
        if name == b"request-id":
            out.append((UPSTREAM_REQUEST_ID, value))
        elif not name.startswith(_SANDBOX_OWN):
            out.append((name, value))
    return out


class MissForwarder:
    def __init__(self, upstream: Upstream, capture: Capture, reload: Callable[[], object]):
        self.upstream = upstream
        self.capture = capture
        self.reload = reload

    async def aclose(self) -> None:
        await self.upstream.aclose()

    def answer(self, scope: Scope, body: bytes) -> Asgi:
        headers = list(scope["headers"])

        async def recorded(relayed: Relayed) -> None:
            if relayed.message is not None:
                scope[MESSAGE_KEY] = relayed.message  # the journal keeps it, as for ours
            if await self.capture.record(body, headers, relayed) is None:
                return
            try:
                await anyio.to_thread.run_sync(self.reload)
            except FixtureError as exc:
                log.error("recorded, but the fixtures did not reload: %s", exc)

        async def forwarded(scope: Scope, receive: Receive, send: Send) -> None:
            await self.upstream.relay(
                method="POST",
                path="/v1/messages",
                query=scope.get("query_string", b""),
                headers=headers,
                body=body,
                receive=receive,
                send=send,
                request_id=scope["state"]["request_id"],
                tap=Tap(),
                headers_out=sandbox_headers,
                on_complete=recorded,
            )

        return forwarded


def miss_recording(fixtures: Path | None, out: Path | None, *, upstream: str) -> Recording:
    """The recording of a ``--record-on-miss`` run: under ``out`` (default: the fixtures
    directory), which must lie inside the fixtures directory so its rules are served.
    Raises ``OutDirError`` saying what is wrong."""
    if fixtures is None:
        # The shipped examples live inside the installed package: never written to.
        raise OutDirError(
            "--record-on-miss records into your fixtures directory: give --fixtures DIR "
            "(or SANDBOX_FIXTURES)"
        )
    target = (out or fixtures).resolve()
    if not target.is_relative_to(fixtures.resolve()):
        raise OutDirError(
            f"--out {out} is outside the fixtures directory {fixtures}: what is recorded "
            "there would never be served; give a directory inside it"
        )
    return open_recording(target, source=upstream)


def miss_forwarder(
    recording: Recording, *, upstream: str, redact: tuple[str, ...], reload: Callable[[], object]
) -> MissForwarder:
    return MissForwarder(Upstream(upstream), Capture(recording, Redactor(redact)), reload)
