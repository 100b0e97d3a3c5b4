"""The server layer's fast paths give the same bytes as uvicorn's own code (the rest of the
fast paths: test_fast_paths.py).

``protocol.FastSend`` writes a plain response head without uvicorn's per-header loop and
holds a head marked ``BODY_FOLLOWS`` for its body; uvicorn's ``RequestResponseCycle.send`` is
the general path. Both are fed the same ASGI messages, in process, over a transport that keeps
what is written: the bytes, the errors raised and the cycle's state must agree.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uvicorn.protocols.http.httptools_impl import (
    HEADER_RE,
    HEADER_VALUE_RE,
    RequestResponseCycle,
)

from messages_sandbox.web.protocol import _NOT_IN_NAMES, _NOT_IN_VALUES, FastSend
from messages_sandbox.web.responses import BODY_FOLLOWS, HEAD_TAIL, HeadTail

CHECKED = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATE = (b"date", b"Mon, 07 Dec 2026 01:00:00 GMT")


class Transport:
    """What a cycle writes, and how many system calls that would take."""

    def __init__(self) -> None:
        self.written = b""
        self.writes = 0
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data
        self.writes += 1

    def writelines(self, parts: list[bytes]) -> None:
        self.written += b"".join(parts)
        self.writes += 1

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


class Flow:
    write_paused = False


def _cycle(
    transport: Transport,
    method: str,
    keep_alive: bool,
    default_headers: list[tuple[bytes, bytes]],
    on_response: Any = lambda: None,
) -> RequestResponseCycle:
    return RequestResponseCycle(
        scope={"method": method},  # type: ignore[typeddict-item]
        transport=transport,  # type: ignore[arg-type]
        flow=Flow(),  # type: ignore[arg-type]
        logger=logging.getLogger("test"),
        access_logger=logging.getLogger("test"),
        access_log=False,
        default_headers=default_headers,
        message_event=asyncio.Event(),
        expect_100_continue=False,
        keep_alive=keep_alive,
        on_response=on_response,
    )


def _run(
    fast: bool,
    messages: list[dict[str, Any]],
    *,
    method: str,
    keep_alive: bool,
    default_headers: list[tuple[bytes, bytes]],
) -> tuple[object, ...]:
    transport = Transport()
    ended: list[bool] = []
    cycle = _cycle(transport, method, keep_alive, default_headers, lambda: ended.append(True))
    send = FastSend(cycle) if fast else cycle.send

    async def feed() -> str | None:
        try:
            for message in messages:
                await send(dict(message))  # type: ignore[arg-type]
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return None

    error = asyncio.run(feed())
    return (
        transport.written,
        error,
        transport.closed,
        ended,
        cycle.response_started,
        cycle.response_complete,
        cycle.chunked_encoding,
        cycle.expected_content_length,
        cycle.keep_alive,
        cycle.message_event.is_set(),
    )


PLAIN_NAMES = [b"content-type", b"x-sandbox-rule", b"anthropic-ratelimit-requests-limit"]
ODD_NAMES = [
    b"content-length",
    b"transfer-encoding",
    b"connection",
    b"Content-Length",
    b"X-Upper",
    b"bad name",
    b"bad:colon",
    b"nul\x00",
    b"caf\xc3\xa9",
]
PLAIN_VALUES = [b"application/json", b"", b"a\tb", b"chunked", b"close", b"\xff\xfe"]
ODD_VALUES = [b"keep-alive, Close", b"7", b"-1", b"seven", b"bad\x01", b"line\nbreak"]


@st.composite
def exchanges(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Mostly plain answers (the fast path's), and some that uvicorn's own code must take."""
    body = draw(st.binary(max_size=12)) if draw(st.booleans()) else b""
    odd = draw(st.booleans())
    names = st.sampled_from(PLAIN_NAMES + ODD_NAMES if odd else PLAIN_NAMES)
    values = st.sampled_from([*PLAIN_VALUES, *(ODD_VALUES if odd else ()), b"%d" % len(body)])
    headers = draw(st.lists(st.tuples(names, values), max_size=6))
    if draw(st.booleans()):
        headers.insert(draw(st.integers(0, len(headers))), (b"content-length", b"%d" % len(body)))
    start: dict[str, Any] = {
        "type": "http.response.start",
        "status": draw(st.sampled_from([200, 204, 304, 404, 1000])),
        "headers": headers,
    }
    if draw(st.booleans()):
        # The headers web.front ends every head with, checked once per tail; mostly they do
        # end the head, but a layer outside may have added some after them.
        pairs = tuple(draw(st.lists(st.tuples(names, values), max_size=4)))
        start[HEAD_TAIL] = HeadTail(pairs, None)
        where = draw(st.sampled_from(["end", "end", "before", "absent"]))
        if where == "end":
            headers += pairs
        elif where == "before":
            headers += [*pairs, (b"x-after", b"1")]
    if draw(st.booleans()):
        start[BODY_FOLLOWS] = True
    messages = [start]
    cut = draw(st.integers(0, len(body)))
    if draw(st.booleans()):  # the body in two parts
        messages.append({"type": "http.response.body", "body": body[:cut], "more_body": True})
        body = body[cut:]
    messages.append({"type": "http.response.body", "body": body})
    if draw(st.booleans()):
        messages.append({"type": "http.response.body", "body": b"late"})  # after the end
    if draw(st.booleans()):
        messages.insert(1, {"type": "http.response.start", "status": 200, "headers": []})
    context = {
        "method": draw(st.sampled_from(["POST", "GET", "HEAD"])),
        "keep_alive": draw(st.booleans()),
        "default_headers": draw(st.sampled_from([[], [DATE]])),
    }
    return messages, context


@CHECKED
@given(exchanges())
def test_a_response_is_written_as_uvicorn_writes_it(
    exchange: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    messages, context = exchange
    assert _run(True, messages, **context) == _run(False, messages, **context)


def test_a_complete_answer_leaves_in_one_write() -> None:
    body = b'{"type":"message"}'
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"18")],
        BODY_FOLLOWS: True,
    }
    for fast, writes in ((True, 1), (False, 2)):
        transport = Transport()
        cycle = _cycle(transport, "POST", True, [DATE])
        send = FastSend(cycle) if fast else cycle.send

        async def answer(send: Any = send) -> None:
            await send(start)
            await send({"type": "http.response.body", "body": body})

        asyncio.run(answer())
        assert transport.writes == writes
        assert transport.written.endswith(b"\r\n\r\n" + body)


def test_a_head_tail_is_checked_once_and_written_after_each_heads_own_headers() -> None:
    tail = HeadTail(((b"anthropic-organization-id", b"org"), (b"x-limit", b"4000")), None)
    heads = [
        [(b"content-type", b"application/json"), (b"content-length", b"2"), *tail.pairs],
        [(b"request-id", b"req_2"), (b"content-length", b"2"), *tail.pairs],
        [*tail.pairs],  # nothing of its own: the tail alone
    ]
    for headers in heads:
        messages = [
            {"type": "http.response.start", "status": 200, "headers": headers, HEAD_TAIL: tail},
            {"type": "http.response.body", "body": b"{}"},
        ]
        context: dict[str, Any] = {"method": "POST", "keep_alive": True, "default_headers": [DATE]}
        assert _run(True, messages, **context) == _run(False, messages, **context)
        assert tail.lines == b"anthropic-organization-id: org\r\nx-limit: 4000"


def test_the_header_checks_refuse_the_bytes_uvicorn_refuses() -> None:
    upper = set(range(ord("A"), ord("Z") + 1))  # left to uvicorn, which lower-cases them
    for byte in range(256):
        one = bytes([byte])
        if byte not in upper:
            assert (byte in _NOT_IN_NAMES) == bool(HEADER_RE.search(one)), one
        assert (byte in _NOT_IN_VALUES) == bool(HEADER_VALUE_RE.search(one)), one


# -- the deadlines: one timer per connection -----------------------------------------------
class Connection(Transport):
    """The transport of one connection, as the protocol sees it."""

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8080), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _connection(read_timeout: float, keep_alive: float) -> tuple[Any, Connection]:
    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from messages_sandbox.web.protocol import bounded_protocol

    config = Config(_ok, timeout_keep_alive=keep_alive, lifespan="off")  # type: ignore[arg-type]
    config.load()
    protocol = bounded_protocol(read_timeout)(  # type: ignore[call-arg]
        config=config, server_state=ServerState(), app_state={}
    )
    transport = Connection()
    protocol.connection_made(transport)
    return protocol, transport


REQUEST = b"POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 2\r\n\r\n{}"


def test_an_idle_kept_alive_connection_is_closed_after_the_keep_alive_timeout() -> None:
    async def scenario() -> tuple[bool, bool, bytes]:
        protocol, transport = _connection(read_timeout=5, keep_alive=1.0)
        for _ in range(3):  # answered requests leave the connection open
            protocol.data_received(REQUEST)
            await asyncio.sleep(0.05)
        open_after_answers = not transport.closed
        await asyncio.sleep(1.5)
        return open_after_answers, transport.closed, transport.written

    open_after_answers, closed, written = asyncio.run(scenario())
    assert open_after_answers and closed
    assert written.count(b"HTTP/1.1 200 OK") == 3


def test_a_later_request_on_a_connection_gets_its_own_read_deadline() -> None:
    """The first request's deadline runs from the connection's opening, a later one's from
    its own first byte."""

    async def scenario() -> tuple[bool, bytes]:
        protocol, transport = _connection(read_timeout=1.0, keep_alive=5)
        protocol.data_received(REQUEST)
        await asyncio.sleep(0.7)  # the connection's first deadline is now 0.3 s away
        protocol.data_received(REQUEST[:20])
        await asyncio.sleep(0.5)
        alive = not transport.closed  # past the first deadline, within this request's
        await asyncio.sleep(1.0)
        return alive, transport.written

    alive, written = asyncio.run(scenario())
    assert alive
    first, _, rest = written.partition(b"0\r\n\r\n")  # the end of the first, chunked answer
    assert first.startswith(b"HTTP/1.1 200 OK") and rest.startswith(b"HTTP/1.1 408 ")


@pytest.mark.parametrize(
    ("version", "written_for"),
    [("0.55.0", True), ("0.55.12", True), ("0.56.0", False), ("0.54.1", False), ("1.0", False)],
)
def test_the_protocol_is_used_only_under_the_uvicorn_it_was_written_for(
    version: str, written_for: bool
) -> None:
    from messages_sandbox.web import protocol

    assert protocol.written_for(version) is written_for


def test_the_installed_uvicorn_gets_the_bounded_protocol() -> None:
    """A uvicorn upgrade that this fails for is taken after the protocol is checked against
    it (``WRITTEN_FOR`` in web/protocol.py; the tests above compare the bytes)."""
    import uvicorn

    from messages_sandbox.web.protocol import BoundedHttpToolsProtocol, bounded_protocol

    assert issubclass(bounded_protocol(1.0), BoundedHttpToolsProtocol), uvicorn.__version__
