"""Paced and faulted streams: the Message's events written one by one with the plan's timing,
keep-alive pings and injected faults (sse-starlette writes them and handles disconnects and
graceful shutdown)."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import AsyncIterator, Awaitable, Callable

from sse_starlette import EventSourceResponse
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from ..errors import ApiError
from ..message.render import encode_event, error_event, iter_events
from ..pipeline import Outcome
from ..tokens import count_text
from .responses import SSE, sse_headers


def paced_response(outcome: Outcome, request_id: str, grace_period: float) -> Response:
    """The response that writes ``outcome``'s stream event by event."""
    plan = outcome.plan
    chunks = _paced(outcome, request_id)
    if outcome.on_end is not None:
        chunks = _reporting_end(chunks, outcome.on_end)
    if plan.drop_after is not None:
        return _DroppedStream(chunks, media_type=SSE, headers=sse_headers(outcome.headers))
    # sse-starlette writes the paced stream: it stops when the client goes away and lets
    # in-flight streams finish during a graceful shutdown. Its own pinger is left idle: it
    # runs beside the stream and could write a ping after `message_stop` (`_paced` pings).
    return EventSourceResponse(
        chunks,
        media_type=SSE,
        headers=sse_headers(outcome.headers),
        sep="\n",
        ping=_NO_KEEPALIVE,
        shutdown_grace_period=grace_period,
    )


async def _paced(outcome: Outcome, request_id: str) -> AsyncIterator[bytes]:
    """Write events one by one with the plan's timing and faults.

    Pacing: the first content delta waits ``first_token_delay``, each later one the time its
    tokens take at ``tokens_per_second`` (each pause varied by ``jitter``, seeded by the
    message id so a replay is identical). A pause longer than ``ping_interval`` is filled
    with keep-alive ``ping`` events, written here between the message's events (never after
    ``message_stop``, as a concurrent pinger could). Faults count the message's own events
    (``message_start`` is 1, the real ping after the first block start counts; keep-alive
    pings do not).
    """
    plan = outcome.plan
    rng = random.Random(outcome.message["id"])
    first_delta = True
    for sent, (name, data) in enumerate(iter_events(outcome.message, plan.chunk_size)):
        if plan.drop_after is not None and sent >= plan.drop_after:
            return  # _DroppedStream leaves the body unfinished: the connection is cut
        if plan.error_after is not None and sent >= plan.error_after:
            error = plan.error or ApiError("Overloaded", status=529, error_type="overloaded_error")
            yield encode_event(*error_event(error, request_id))
            return
        if name == "message_stop" and plan.omit_message_stop:
            return
        if name == "content_block_delta":
            if first_delta:
                # The time to the first token is the time to the first delta, no more.
                delay = plan.first_token_delay
                first_delta = False
            else:
                delay = _delta_seconds(data["delta"], plan.tokens_per_second)
            if plan.jitter and delay:
                delay *= 1 + rng.uniform(-plan.jitter, plan.jitter)
            if delay > 0:
                async for ping in _pause(delay, plan.ping_interval):
                    yield ping
        yield encode_event(name, data)


_PING = encode_event("ping", {"type": "ping"})


async def _pause(seconds: float, ping_interval: float | None) -> AsyncIterator[bytes]:
    """Wait ``seconds``, yielding a keep-alive ``ping`` every ``ping_interval`` of it."""
    if ping_interval:
        # Pings at each whole interval inside the pause (counted, not subtracted in a loop:
        # 0.5 - 4 * 0.1 is a hair over 0.1 in floating point).
        pings = max(0, math.ceil(seconds / ping_interval - 1e-9) - 1)
        for _ in range(pings):
            await asyncio.sleep(ping_interval)
            yield _PING
        seconds -= pings * ping_interval
    await asyncio.sleep(max(seconds, 0.0))


async def _reporting_end(
    chunks: AsyncIterator[bytes], on_end: Callable[[bool], Awaitable[None] | None]
) -> AsyncIterator[bytes]:
    """``chunks``, then ``on_end(reached message_stop)``, also when the client went away
    (awaited when it returns an awaitable: with state in Redis)."""
    last = b""
    try:
        async for chunk in chunks:
            last = chunk
            yield chunk
    finally:
        ended = on_end(last.startswith(b"event: message_stop"))
        if ended is not None:
            await ended


_NO_KEEPALIVE = 24 * 3600.0  # sse-starlette's pinger never fires: ``_paced`` pings


def _delta_seconds(delta: dict[str, object], tokens_per_second: float | None) -> float:
    if not tokens_per_second:
        return 0.0
    payload = next((v for k, v in delta.items() if k in ("text", "thinking", "partial_json")), "")
    return max(1, count_text(str(payload))) / tokens_per_second


class _DroppedStream(StreamingResponse):
    """Fault injection: sends the events, then returns without ending the body, so the
    server closes the connection mid-stream (clients see an incomplete chunked read)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        async for chunk in self.body_iterator:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
