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

Two per-request costs of uvicorn's protocol are made cheaper here, with the same bytes out:
the response head (``FastSend``) and the deadlines (the read timeout and uvicorn's
keep-alive timeout share one timer per connection, checked when it fires, rather than
timers armed and cancelled per request).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

import uvicorn
from uvicorn._types import ASGI3Application, ASGISendEvent
from uvicorn.protocols.http.httptools_impl import (
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)

from ..errors import ApiError, envelope_bytes
from ..ids import request_id
from .responses import BODY_FOLLOWS, HEAD_TAIL

log = logging.getLogger("messages_sandbox")

WRITTEN_FOR = (0, 55)
"""The uvicorn release (major, minor) whose httptools protocol internals this module
overrides: its cycle's state, its keep-alive timer, ``STATUS_LINE``."""

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
    """The protocol class for ``uvicorn.run(http=...)`` with this read timeout; uvicorn's own
    under a uvicorn release this module was not written for."""
    if not written_for(uvicorn.__version__):
        # Deliberate choice: an installed uvicorn of another release (the dependency range is
        # wide, so that the sandbox installs beside a project's own uvicorn) is served with
        # its own protocol, and said so, rather than risk overriding internals that changed.
        log.warning(
            "uvicorn %s: the sandbox's HTTP protocol (read timeout, head size limit, malformed "
            "HTTP answered in the API's envelope, one write per answer) is written for uvicorn "
            "%d.%d; serving with uvicorn's own protocol instead",
            uvicorn.__version__,
            *WRITTEN_FOR,
        )
        return HttpToolsProtocol
    return type("BoundedHttpToolsProtocol", (BoundedHttpToolsProtocol,), {"timeout": read_timeout})


def written_for(version: str) -> bool:
    """Whether uvicorn ``version`` is the release whose internals this module overrides."""
    parts = version.split(".")[:2]
    return all(p.isdigit() for p in parts) and tuple(map(int, parts)) == WRITTEN_FOR


# uvicorn's checks of each response header, as ``bytes.translate`` deletion sets: a name or a
# value is valid when nothing of it is deleted (uvicorn's ``HEADER_RE``/``HEADER_VALUE_RE``
# are single-character classes, so one pass over all names joined says what a search of
# each would). Upper-case letters are left to uvicorn's own loop, which lower-cases them.
_NOT_IN_NAMES = bytes([*range(0x20), 0x7F, *b'()<>@,;:[]={} \t\\"', *b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"])
_NOT_IN_VALUES = bytes([*range(0x09), *range(0x0A, 0x20), 0x7F])
_SPECIAL = (b"transfer-encoding", b"connection")


class FastSend:
    """The ``send`` our protocol hands the app instead of uvicorn's cycle's own: a plain
    answer written cheaper, by the cycle's rules and into its state:

    - its head in a few C calls: uvicorn checks each header with two regular expressions
      in a Python loop (~1 µs per header, and every answer carries ~17); the headers that
      end every head (a ``HeadTail``: the organization id, the rate-limit rows) are checked
      and joined once per tail, not per answer;
    - a head marked ``BODY_FOLLOWS`` (``web.front`` writes a complete answer's two messages
      back to back) held until its body, and both written in one system call: a second
      ``send`` on a loopback TCP socket costs more than all of the head's Python.

    Anything else (a header that needs lower-casing or fails a check, ``transfer-encoding``
    or ``connection`` set by the app, the access log on, writing paused, a client gone) goes
    to the cycle's own ``send``, which also raises uvicorn's errors; the bytes written and
    the cycle's state are the same either way (tests/test_fast_paths_http.py). A wrapper,
    not a subclass: uvicorn makes the cycle itself, and changing an instance's class makes
    CPython 3.11 turn its attributes into a dict, which cost more than this saves."""

    __slots__ = ("cycle", "held")

    def __init__(self, cycle: RequestResponseCycle) -> None:
        self.cycle = cycle
        self.held: bytes | None = None
        """A head waiting for its body (``BODY_FOLLOWS``)."""

    async def __call__(self, message: ASGISendEvent) -> None:
        cycle = self.cycle
        held = self.held
        if held is not None:
            self.held = None
            if not self._with_body(cycle, held, message):
                cycle.transport.write(held)
                await cycle.send(message)
        elif (
            cycle.response_started
            or message["type"] != "http.response.start"
            or cycle.disconnected
            or cycle.access_log
            or cycle.flow.write_paused
            or not self._plain_head(cycle, message)
        ):
            await cycle.send(message)

    def _plain_head(self, cycle: RequestResponseCycle, message: Any) -> bool:
        """Write (or hold) the head of a plain answer: True; else False, uvicorn's to do."""
        try:
            headers = message.get("headers", [])
            tail = message.get(HEAD_TAIL)
            tail_lines = b""
            if tail is not None:
                # The organization id and the rate-limit rows (~13 of ~17 headers), checked
                # and joined once per ``HeadTail`` rather than per answer, when its pairs
                # still end the head (a layer outside ``web.front`` may have added headers).
                tail_lines = tail.lines
                if tail_lines is None:
                    tail_lines = tail.lines = _tail_lines(tail.pairs)
                size = len(tail.pairs)
                if tail_lines and tuple(headers[-size:]) == tail.pairs:
                    headers = headers[:-size]
                else:
                    tail_lines = b""
            headers = cycle.default_headers + list(headers)
            checked = _checked(headers)
            if checked is None:
                return False
            names, values, lines = checked
            if tail_lines:
                lines = lines + b"\r\n" + tail_lines if headers else tail_lines
            status_line = STATUS_LINE[message["status"]]
        except (TypeError, ValueError, KeyError):
            return False  # uvicorn raises what it raises for it
        if _SPECIAL[0] in names or _SPECIAL[1] in names:
            return False
        cycle.response_started = True
        cycle.waiting_for_100_continue = False
        status = message["status"]
        if b"content-length" in names:
            cycle.expected_content_length = int(values[names.index(b"content-length")].decode())
            cycle.chunked_encoding = False
        end = b"\r\n\r\n" if cycle.keep_alive else b"\r\nconnection: close\r\n\r\n"
        chunked = cycle.chunked_encoding is None and cycle.scope["method"] != "HEAD"
        if chunked and status not in (204, 304):
            cycle.chunked_encoding = True
            end = end[:-2] + b"transfer-encoding: chunked\r\n\r\n"
        if not lines:
            end = end[2:]  # no header line to end
        if message.get(BODY_FOLLOWS):
            self.held = status_line + lines + end
        else:
            cycle.transport.write(status_line + lines + end)
        return True

    @staticmethod
    def _with_body(cycle: RequestResponseCycle, head: bytes, message: Any) -> bool:
        """Write ``head`` and a whole body in one call (True); False: not the plain case."""
        if (
            message["type"] != "http.response.body"
            or message.get("more_body", False)
            or cycle.disconnected
            or cycle.flow.write_paused
            or cycle.response_complete
            or cycle.scope["method"] == "HEAD"
        ):
            return False
        body = message.get("body", b"")
        transport = cycle.transport
        if cycle.chunked_encoding:
            if body:
                transport.writelines([head, b"%x\r\n" % len(body), body, b"\r\n0\r\n\r\n"])
            else:
                transport.write(head + b"0\r\n\r\n")
        elif len(body) != cycle.expected_content_length:
            return False  # uvicorn's error to raise
        else:
            cycle.expected_content_length = 0
            transport.writelines([head, body])
        cycle.response_complete = True
        cycle.message_event.set()
        if not cycle.keep_alive:
            transport.close()
        cycle.on_response()
        return True


def _checked(
    headers: list[tuple[bytes, bytes]],
) -> tuple[list[bytes], list[bytes], bytes] | None:
    """The names, values and head lines of ``headers`` when each passes uvicorn's checks as
    it is; None when one would not (uvicorn's own loop then says why, or lower-cases it)."""
    # A plain loop over the few headers an answer has of its own (the rest are a
    # ``HeadTail``'s): for 4 pairs, 2,500 instructions fewer than ``zip(*headers,
    # strict=True)``, whose keyword takes CPython's slow call path. A pair of another
    # length raises ValueError here, as in uvicorn's loop.
    names: list[bytes] = []
    values: list[bytes] = []
    for name, value in headers:
        names.append(name)
        values.append(value)
    joined = b"".join(names)
    if len(joined.translate(None, _NOT_IN_NAMES)) != len(joined):
        return None
    joined = b"".join(values)
    if len(joined.translate(None, _NOT_IN_VALUES)) != len(joined):
        return None
    # Each pair is two bytes values (the unzipping above unpacked them all).
    return names, values, b"\r\n".join(map(b": ".join, headers))


def _tail_lines(pairs: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """A ``HeadTail``'s lines; empty when a pair fails uvicorn's checks or names a header
    whose value changes how the answer is framed (those are read from each head)."""
    try:
        checked = _checked(list(pairs))
    except (TypeError, ValueError):
        return b""
    if checked is None or not pairs:
        return b""
    names, _, lines = checked
    if any(name in names for name in (*_SPECIAL, b"content-length")):
        return b""
    return lines


def _sending_fast(app: ASGI3Application) -> ASGI3Application:
    """``app`` given a ``FastSend`` over the cycle whose ``send`` uvicorn passes it."""

    def with_fast_send(scope: Any, receive: Any, send: Any) -> Awaitable[None]:
        # The app's own coroutine, handed back for the cycle to await: no coroutine of its
        # own around it (only ``RequestResponseCycle.run_asgi`` calls this, and awaits it).
        return app(scope, receive, FastSend(send.__self__))

    return with_fast_send


# The parser's callbacks run for every request: uvicorn's own, called directly from the
# overrides below, cost less than through ``super()``: with ``_arm`` inlined, 5,100 fewer
# instructions per request (a server answering at once, bench/results.md).
_DATA_RECEIVED = HttpToolsProtocol.data_received
_MESSAGE_BEGIN = HttpToolsProtocol.on_message_begin
_HEADERS_COMPLETE = HttpToolsProtocol.on_headers_complete
_MESSAGE_COMPLETE = HttpToolsProtocol.on_message_complete


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    timeout: float = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = _sending_fast(self.app)
        self._deadline: asyncio.TimerHandle | None = None
        """The connection's one timer, for both deadlines (``_deadline_passed``)."""
        self._wake_at = 0.0
        """When ``_deadline`` fires."""
        self._started: float | None = None
        """When the request being read began (None: between requests)."""
        self._idle_since: float | None = None
        """When the last answer ended, on a connection kept alive with nothing to read."""
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
        _DATA_RECEIVED(self, data)

    def on_message_begin(self) -> None:
        _MESSAGE_BEGIN(self)
        # ``_arm``, inline: httptools calls this for every request.
        if self._started is None:
            self._started = self.loop.time()
        self._wake_by(self._started + self.timeout)

    def on_headers_complete(self) -> None:
        self._in_head = False
        _HEADERS_COMPLETE(self)

    def on_message_complete(self) -> None:
        self._started = None  # the request is in; its deadline no longer applies
        self._in_head, self._head_bytes = True, 0  # what comes next is the next request
        _MESSAGE_COMPLETE(self)

    def send_400_response(self, msg: str) -> None:
        # uvicorn's answer to malformed HTTP, as an envelope (its message, e.g. "Invalid HTTP
        # request received.").
        self._answer(ApiError(msg, status=400, error_type="invalid_request_error"))

    # -- the deadlines ---------------------------------------------------------------------
    # A request has ``timeout`` seconds from its start to arrive whole; a connection idle
    # after an answer is closed after uvicorn's ``timeout_keep_alive``. uvicorn arms and
    # cancels a timer per answer for the latter, and so did this class per request for the
    # former: together ~2% of a small request's instructions. Instead the connection keeps
    # one timer and notes when each deadline started; when the timer fires, a deadline that
    # moved since is armed again for what it has left, and one that has passed is acted on.
    def _arm(self) -> None:
        if self._started is None:  # the first request keeps its connection's start
            self._started = self.loop.time()
        self._wake_by(self._started + self.timeout)

    def _disarm(self) -> None:
        self._started = None
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _wake_by(self, due: float) -> None:
        if self._deadline is not None:
            if self._wake_at <= due:
                return
            self._deadline.cancel()
        self._wake_at = due
        self._deadline = self.loop.call_at(due, self._deadline_passed)

    def on_response_complete(self) -> None:
        # uvicorn's (0.55), with the keep-alive deadline noted instead of a timer armed.
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._idle_since = None
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        else:
            self._idle_since = now = self.loop.time()
            self._wake_by(now + self.timeout_keep_alive)

    def _unset_keepalive_if_required(self) -> None:
        self._idle_since = None  # data came in (or the connection is gone): not idle

    def _deadline_passed(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        # A timer may fire up to a millisecond early (the loop's clock counts milliseconds).
        now = self.loop.time() + 0.001
        idle, started = self._idle_since, self._started
        if idle is not None:
            if now >= idle + self.timeout_keep_alive:
                self.timeout_keep_alive_handler()
                return
            self._wake_by(idle + self.timeout_keep_alive)
        if started is None:
            return
        if now < started + self.timeout:
            self._wake_by(started + self.timeout)
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
