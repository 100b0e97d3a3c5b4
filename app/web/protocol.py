"""The HTTP/1.1 protocol the CLI serves with: uvicorn's httptools protocol, bounded.

uvicorn reads a request's head and body for as long as a client likes to send them, takes
a head of any size, and refuses malformed HTTP (``content-length`` with
``transfer-encoding``, a negative ``content-length``) in plain text. Here:

- a request has ``read_timeout`` seconds from its first byte (from the connection's opening,
  for the first request) to arrive whole, head and body; past that the client gets a 408
  and the connection is closed. A route waiting for the body sees the request as timed out
  (``TIMED_OUT_KEY`` on the scope) and records it so in the journal;
- a request line and headers over ``MAX_HEAD_BYTES`` get a 431;
- malformed HTTP gets uvicorn's 400, in Anthropic's envelope.
These answers are written by the server layer itself, before any route runs, so they carry
a ``request-id`` but pass neither the journal nor the CORS layer (a browser cannot send such
requests anyway). Each closes the connection: what follows on it cannot be trusted.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..errors import ApiError, envelope_bytes
from ..ids import request_id

MAX_HEAD_BYTES = 64 * 1024
"""Request line and headers (Claude Code sends ~2 KB; Node's own limit is 16 KB)."""
TIMED_OUT_KEY = "sandbox.timed_out"
"""On the scope of a request whose body did not arrive in time: the read timeout."""
_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


def read_timeout_error(timeout: float) -> ApiError:
    # Deliberate choice: the real API's answer to a client that sends too slowly is not
    # public; 408 is HTTP's, and SDKs retry it.
    return ApiError(
        f"The request was not received in full within {timeout:g} seconds (SANDBOX_READ_TIMEOUT).",
        status=408,
        error_type="timeout_error",
    )


def bounded_protocol(read_timeout: float) -> type[asyncio.Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with this read timeout."""
    return type("BoundedHttpToolsProtocol", (BoundedHttpToolsProtocol,), {"timeout": read_timeout})


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    timeout: float = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._in_head = True
        """The bytes coming in belong to a request's line and headers."""
        self._head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a client that connects and sends nothing is timed out too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            end = data.find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else end + 4
            if self._head_bytes > MAX_HEAD_BYTES:
                # Deliberate choice: the real API's answer to oversized headers is not public.
                self._answer(
                    ApiError(
                        f"Request header fields too large: at most {MAX_HEAD_BYTES} bytes of "
                        "request line and headers are read.",
                        status=431,
                        error_type="request_too_large",
                    )
                )
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head, self._head_bytes = True, 0  # what comes next is the next request
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        # uvicorn's answer to malformed HTTP, as an envelope (its message, e.g. "Invalid HTTP
        # request received.").
        self._answer(ApiError(msg, status=400, error_type="invalid_request_error"))

    # -- the read deadline -----------------------------------------------------------------
    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.timeout, self._timed_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if self._in_head or cycle is None or not cycle.response_started:
            if not self._in_head and self.scope is not None:
                # The route waiting for the body says so too (``body.body_not_received``).
                # An extension key: the scope's TypedDict names only the ASGI spec's keys.
                self.scope[TIMED_OUT_KEY] = self.timeout  # type: ignore[literal-required]
            self._answer(read_timeout_error(self.timeout))
        else:
            self.transport.close()  # the app answered already; the rest is not worth waiting for

    def _answer(self, error: ApiError) -> None:
        """Write ``error`` as the whole answer and close the connection."""
        self._disarm()
        # The id the app gave the request being read, so the journal and the client agree.
        state = self.scope.get("state", {}) if self.scope and not self._in_head else {}
        rid = state.get("request_id") or request_id()
        body = envelope_bytes(error, rid)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(body)),
            (b"request-id", rid.encode()),
            (b"connection", b"close"),
        ]
        headers += [(k.encode(), v.encode()) for k, v in error.response_headers().items()]
        status = error.status_code
        head = b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b"Error"))
        head += b"".join(b"%s: %s\r\n" % pair for pair in headers)
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()


class WorkersConfig(uvicorn.Config):
    """uvicorn's configuration for ``serve --workers N``: uvicorn pickles it into each worker
    process, where a class made by ``bounded_protocol`` could not follow, so the worker
    makes it itself when it loads (with the same read timeout)."""

    def __init__(self, *args: Any, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_timeout = read_timeout

    def load(self) -> None:
        super().load()
        self.http_protocol_class = bounded_protocol(self.read_timeout)
