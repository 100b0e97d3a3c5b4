"""``messages-sandbox record``: a proxy between an app and the real API that writes what it
sees as fixtures.

Every request goes to the upstream as the app sent it and its answer comes back unchanged as
it arrives (``upstream``). On the way:
- ``POST /v1/messages``: the exchange is recorded as a rule (``capture``);
- ``GET /v1/models`` and ``/v1/models/{id}``: what the upstream says about a model is kept, for
  the ``models:`` entry a replay needs when the sandbox's catalogue lacks a recorded model;
- everything else (count_tokens, batches, files, ...) passes through, unrecorded.
  Deliberate choice: a replay answers ``count_tokens`` with the sandbox's own estimate
  (consistent with the ``usage`` it serves) and batches and files from its own stores; the
  fixture format has no place for recorded answers of those.

A plain ASGI app (no framework): nothing here is routed but two paths.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from ..catalogue.loader import load_catalogue
from ..errors import OutDirError
from ..ids import request_id
from ..settings import Settings
from .capture import Capture
from .recording import Recording
from .redact import Redactor
from .upstream import Receive, Relayed, Scope, Send, Tap, Upstream

log = logging.getLogger("messages_sandbox.recorder")

MESSAGES = "/v1/messages"
MODELS = "/v1/models"


class RecordingProxy:
    def __init__(self, upstream: Upstream, capture: Capture) -> None:
        self.upstream = upstream
        self.capture = capture

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        headers = list(scope["headers"])
        query = scope.get("query_string", b"")
        rid = request_id()

        async def relay(
            body: bytes | AsyncIterator[bytes], tap: Tap | None = None, done: Any = None
        ) -> None:
            await self.upstream.relay(
                method=method,
                path=path,
                query=query,
                headers=headers,
                body=body,
                receive=receive,
                send=send,
                request_id=rid,
                tap=tap,
                on_complete=done,
            )

        if method == "POST" and path == MESSAGES:
            body = await _whole_body(receive)

            async def recorded(relayed: Relayed) -> None:
                await self.capture.record(body, headers, relayed)

            await relay(body, Tap(), recorded)
        elif method == "GET" and (path == MODELS or path.startswith(MODELS + "/")):

            async def seen(relayed: Relayed) -> None:
                value = relayed.json
                if isinstance(value, dict):
                    data = value.get("data") if path == MODELS else [value]
                    if isinstance(data, list):
                        self.capture.recording.saw_models(data)

            await relay(b"", Tap(messages=False, keep_json=True), seen)
        elif any(k in (b"content-length", b"transfer-encoding") for k, _ in headers):
            # Uploads stream through: a 500 MB file is never held here.
            await relay(_body_stream(receive))
        else:
            await relay(b"")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.upstream.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _whole_body(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _body_stream(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


def recording_proxy(settings: Settings) -> RecordingProxy:
    """The ``record`` app: a new recording under ``settings.record_dir``, forwarding to
    ``settings.upstream``. Raises ``OutDirError``, ``re.error`` (a bad ``redact``) or
    ``FixtureError`` (a bad ``models.yaml`` there)."""
    if settings.record_dir is None:
        raise OutDirError("record needs --out DIR (or SANDBOX_RECORD_DIR)")
    redactor = Redactor(settings.redact)
    # What the replay will know: the built-in catalogue and the directory's own.
    catalogue = load_catalogue(settings.record_dir, builtin=settings.builtin_models)
    recording = open_recording(
        settings.record_dir,
        source=settings.upstream,
        known_model=lambda name: catalogue.get(name) is not None,
    )
    return RecordingProxy(Upstream(settings.upstream), Capture(recording, redactor))


def open_recording(out: Path, *, source: str, known_model: Any = None) -> Recording:
    """A new recording file under ``out``, after checking that ``out`` can be written
    (created when missing). Raises ``OutDirError`` saying why not."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".messages-sandbox-probe-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutDirError(f"cannot write recordings to {out}: {exc.strerror or exc}") from None
    tag = secrets.token_hex(3)
    name = time.strftime("recorded-%Y%m%d-%H%M%S", time.gmtime()) + f"-{tag}.yaml"
    kwargs = {"known_model": known_model} if known_model is not None else {}
    return Recording(out / name, source=source, tag=tag, **kwargs)
