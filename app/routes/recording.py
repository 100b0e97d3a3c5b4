"""Pure ASGI middleware that records every exchange in the request journal (``app.journal``).

It sits outside ``CommonHeaders``, so it sees the final status (a 500 included) and the
request id that middleware assigned. The request body is teed as the app reads it (never read
a second time); the status and ``x-sandbox-*`` headers come from ``http.response.start``; an
error response's body is kept (up to ``ERROR_CAP``) for its ``error.type`` and message.
The sandbox's own surface (``/_sandbox/...``) and ``/health`` are not recorded.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..journal import Entry, Headers, Journal

ADMIN_PREFIX = "/_sandbox/"
UNRECORDED = frozenset({"/health", "/_sandbox"})


class Recording:
    def __init__(self, app: ASGIApp, *, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not self.journal.enabled
            or path in UNRECORDED
            or path.startswith(ADMIN_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(scope, receive, send, self.journal)
        try:
            await self.app(scope, exchange.receive, exchange.send)
        finally:
            if not exchange.recorded:  # the app failed, or a stream was cut on purpose
                exchange.record(complete=False)
            exchange.release()


class _Exchange(Entry):
    """A journal entry that fills itself from the ASGI messages passing through it (one
    object per request: the recording's whole per-request cost is a few µs).

    It is recorded just before the last body message is passed on, so a client that has
    seen the end of its response always finds the entry (a CI job reading the journal or
    the JSONL file right after its last call).
    """

    __slots__ = ("_journal", "_receive", "_scope", "_send", "_started", "recorded")

    def __init__(self, scope: Scope, receive: Receive, send: Send, journal: Journal) -> None:
        super().__init__(
            scope["method"],
            scope["path"],
            scope.get("query_string", b""),
            scope["headers"],
            time.time(),
        )
        self._scope = scope
        self._receive = receive
        self._send = send
        self._journal = journal
        self._started = time.perf_counter()
        self.recorded = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.add_body(message.get("body", b""))
        return message

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.body":
            if self.error_parts is not None:
                self.add_error(message.get("body", b""))
            if not message.get("more_body", False) and not self.recorded:
                self.record(complete=True)
        elif kind == "http.response.start":
            self.answered(message["status"], message.get("headers", []))
        await self._send(message)

    def record(self, *, complete: bool) -> None:
        self.recorded = True
        state: dict[str, Any] = self._scope.get("state") or {}
        request_id = state.get("request_id") or _header(self.response_headers, b"request-id")
        self.finish(request_id, time.perf_counter() - self._started, complete)
        self._journal.record(self)

    def release(self) -> None:
        """The journal keeps this object: let go of the connection's scope and callables."""
        self._scope = self._receive = self._send = self._journal = None  # type: ignore[assignment]


def _header(headers: Headers, name: bytes) -> str:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return ""
