"""The one middleware every HTTP request passes (inside CORS): its request id, the real API's
common headers, its journal entry, and a 500 envelope for anything unexpected.

* It assigns the request id (``scope["state"]["request_id"]``) before routing and stamps
  ``request-id``, ``anthropic-organization-id`` and the ``anthropic-ratelimit-*`` family on
  every response.
* It records the exchange in the request journal (``app.journal``): the request body is
  teed as the app reads it (never read a second time); the final status and headers come
  from ``http.response.start``; an error response's body is kept (up to ``ERROR_CAP``) for
  its ``error.type`` and message. The sandbox's own surface (``/_sandbox/...``) and
  ``/health`` are not recorded. An entry is recorded just before the last body message is
  passed on, so a client that has seen the end of its response always finds it.
* An exception nothing handled becomes a 500 envelope (the traceback goes to the log, never
  to the client), stamped and recorded like any other answer.

One layer with one ``send`` wrapper rather than one middleware per concern: each layer's
extra awaits per ASGI message cost ~5 µs per request live (bench/results.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import ApiInternalError
from ..ids import request_id
from ..journal import Entry, Journal
from .edge import BODY_KEY, WholeBody, error_response
from .messages import PATH as MESSAGES
from .messages import Endpoint

log = logging.getLogger("messages_sandbox")

HeaderSource = Callable[[Scope], list[tuple[bytes, bytes]]]
ADMIN_PREFIX = "/_sandbox/"
UNRECORDED = frozenset({"/health", "/_sandbox"})


class Front:
    """``app`` serves every route; ``messages`` (``POST /v1/messages``) is asked for its
    answer directly, and a complete answer is stamped, recorded and written here with no
    wrapper around ``send`` (the hot path of every client)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        messages: Endpoint,
        organization_id: str,
        extra: HeaderSource,
        journal: Journal,
    ) -> None:
        self.app = app
        self.messages = messages
        self.org = organization_id.encode()
        self.extra = extra
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id()
        scope.setdefault("state", {})["request_id"] = rid
        entry = self._entry(scope)
        try:
            if scope["path"] == MESSAGES and scope["method"] == "POST":
                await self._messages(scope, receive, send, rid, entry)
            else:
                if entry is not None:
                    receive = entry.tee(receive)
                await self._stamped(self.app, scope, receive, send, rid, entry)
        finally:
            if entry is not None and not entry.recorded:
                # The app failed mid-answer, or a stream was cut on purpose.
                entry.done(self.journal, rid, complete=False)

    async def _messages(
        self, scope: Scope, receive: Receive, send: Send, rid: str, entry: _Exchange | None
    ) -> None:
        """``POST /v1/messages``: the endpoint's answer, written here."""
        try:
            response: ASGIApp = await self.messages.respond(scope, receive)
        except Exception:
            response = internal_error(scope, rid)
        if entry is not None and BODY_KEY in scope:
            # The endpoint read the body with ``read_body``, which leaves it here.
            entry.add_body(scope[BODY_KEY])
        if isinstance(response, WholeBody):
            await self._write(response, scope, rid, entry, send)
        else:  # a paced or faulted stream writes itself
            await self._stamped(response, scope, receive, send, rid, entry)

    async def _stamped(
        self,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        rid: str,
        entry: _Exchange | None,
    ) -> None:
        """Run ``app`` with a ``send`` that stamps and records what it writes."""
        started = finished = False

        async def stamped(message: Message) -> None:
            nonlocal started, finished
            kind = message["type"]
            if kind == "http.response.start":
                started = True
                own = message.get("headers", ())
                if entry is not None:
                    entry.answered(message["status"], own)
                message["headers"] = self._headers(own, rid, scope)
            elif kind == "http.response.body" and not message.get("more_body", False):
                finished = True
                if entry is not None and not entry.recorded:
                    if entry.error_parts is not None:
                        entry.add_error(message.get("body", b""))
                    entry.done(self.journal, rid, complete=True)
            elif entry is not None and entry.error_parts is not None:
                entry.add_error(message.get("body", b""))
            await send(message)

        try:
            await app(scope, receive, stamped)
        except Exception:
            if finished:
                # Starlette re-raises after its error handler answered (``main``'s
                # ``_unhandled`` logged it and wrote the envelope): nothing left to do.
                return
            if started:
                raise
            await self._write(internal_error(scope, rid), scope, rid, entry, send)

    async def _write(
        self, response: WholeBody, scope: Scope, rid: str, entry: _Exchange | None, send: Send
    ) -> None:
        """A complete answer: stamped, recorded and written in two messages, no wrapper."""
        own, status, body = response.headers, response.status, response.body
        if entry is not None:
            entry.answered(status, own)
            if status >= 400:
                entry.add_error(body)
        headers = self._headers(own, rid, scope)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if entry is not None:
            entry.done(self.journal, rid, complete=True)
        await send({"type": "http.response.body", "body": body})

    def _headers(
        self, own: Iterable[tuple[bytes, bytes]], rid: str, scope: Scope
    ) -> list[tuple[bytes, bytes]]:
        # The journal saw ``own`` first: it keeps only the app's few, not the common ones.
        headers = [*own, (b"request-id", rid.encode()), (b"anthropic-organization-id", self.org)]
        headers += self.extra(scope)
        return headers

    def _entry(self, scope: Scope) -> _Exchange | None:
        path: str = scope["path"]
        if not self.journal.enabled or path in UNRECORDED or path.startswith(ADMIN_PREFIX):
            return None
        return _Exchange(scope)


def internal_error(scope: Scope, rid: str) -> WholeBody:
    """An exception nothing handled: logged with its traceback, answered with the envelope."""
    log.exception("unhandled error while serving %s %s", scope["method"], scope["path"])
    return error_response(ApiInternalError("Internal server error"), rid)


class _Exchange(Entry):
    """A journal entry filled from the ASGI messages passing through ``Front`` (one object
    per request, holding nothing of the connection once recorded)."""

    __slots__ = ("_started", "recorded")

    def __init__(self, scope: Scope) -> None:
        super().__init__(
            scope["method"],
            scope["path"],
            scope.get("query_string", b""),
            scope["headers"],
            time.time(),
        )
        self._started = time.perf_counter()
        self.recorded = False

    def tee(self, receive: Receive) -> Receive:
        async def teed() -> Message:
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                self.add_body(message.get("body", b""))
            return message

        return teed

    def done(self, journal: Journal, rid: str, *, complete: bool) -> None:
        self.recorded = True
        self.finish(rid, time.perf_counter() - self._started, complete)
        journal.record(self)
