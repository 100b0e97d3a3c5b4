"""Shared edge helpers: read a bounded body, read the caller, write JSON and streams.

Only this package (and ``main``) knows Starlette/FastAPI.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import AsyncIterator, Callable, Mapping

from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from ..errors import ApiError, InvalidRequestError, RequestTooLargeError, envelope_bytes
from ..headers import SCOPE_HEADERS_KEY, Caller, RawHeaders, read_caller
from ..message.render import encode_event, error_event, iter_events, render_json
from ..pipeline import Outcome
from ..sandbox import Sandbox
from ..tokens import count_text
from .protocol import TIMED_OUT_KEY, read_timeout_error
from .session_path import PREFIX_KEY

MESSAGES_BODY_LIMIT = 32 * 1024 * 1024
TOO_LARGE = "Request exceeds the maximum allowed number of bytes."
JSON = "application/json"
SSE = "text/event-stream; charset=utf-8"
_JSON_BYTES = JSON.encode()
_SSE_BYTES = SSE.encode()
BODY_KEY = "sandbox.body"
"""Where ``read_body`` leaves the body it read, on the scope."""


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def scope_headers(scope: Scope) -> RawHeaders:
    """The request headers as a ``bytes -> bytes`` dict, built once per request (in C) and
    kept on the scope. ASGI servers deliver header names lower-cased already."""
    headers = scope.get(SCOPE_HEADERS_KEY)
    if headers is None:
        headers = scope[SCOPE_HEADERS_KEY] = dict(scope["headers"])
    return headers


def scope_caller(scope: Scope, sandbox: Sandbox) -> Caller:
    return read_caller(
        scope_headers(scope),
        request_id=scope["state"]["request_id"],
        query_beta=b"beta=true" in scope.get("query_string", b""),
        api_keys=sandbox.settings.api_keys,
        known_betas=sandbox.known_betas,
    )


def base_url_of(request: Request) -> str:
    """The base of absolute URLs handed out (batch ``results_url``), with the request's
    ``/session/S`` prefix: ``SANDBOX_PUBLIC_URL`` when set; else the scheme and Host the
    client used when that Host is trusted (``admin_guard``); else the address the connection
    reached. Never a foreign Host: an SDK follows ``results_url`` with its API key."""
    settings = sandbox_of(request).settings
    prefix: str = request.scope.get(PREFIX_KEY, "")
    if settings.public_url:
        return settings.public_url + prefix
    headers = request.headers
    host = headers.get("host")
    if host and request.app.state.admin_guard.trusted(host):
        scheme = headers.get("x-forwarded-proto") or request.url.scheme
        return f"{scheme}://{host}{prefix}"
    address, port = request.scope.get("server") or (settings.host, settings.port)
    if ":" in address:
        address = f"[{address}]"
    return f"{request.url.scheme}://{address}:{port}{prefix}"


async def read_json_body(request: Request, limit: int = MESSAGES_BODY_LIMIT) -> bytes:
    return await read_body(request.scope, request.receive, limit)


async def read_body(scope: Scope, receive: Receive, limit: int = MESSAGES_BODY_LIMIT) -> bytes:
    """The raw JSON body, refused early when too large (never buffers more than ``limit``)."""
    headers = scope_headers(scope)
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(TOO_LARGE)
    content_type = headers.get(b"content-type", b"")
    if content_type == _JSON_BYTES:
        media = JSON
    else:
        media = content_type.decode("latin-1").split(";", 1)[0].strip().lower()
    if media and media != JSON and not media.endswith("+json"):
        # Deliberate choice: the real API's wording for a wrong content type is not public.
        raise InvalidRequestError(
            f"Invalid content-type '{media}': the request body must be JSON (application/json)."
        )
    chunks: list[bytes] = []
    size = 0
    # Straight from ASGI ``receive`` (not ``request.stream()``): one body message per
    # small request, no generator machinery on the hot path.
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise body_not_received(scope)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(TOO_LARGE)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    # For the journal (``routes.front``), which then needs no wrapper around ``receive``.
    scope[BODY_KEY] = body
    if not body:
        raise InvalidRequestError("The request body is empty; a JSON object is required.")
    return body


def body_not_received(scope: Scope) -> ApiError:
    """The error for a body cut short: the client went away, or was too slow (``protocol``)."""
    timeout = scope.get(TIMED_OUT_KEY)
    if timeout:
        return read_timeout_error(timeout)
    return InvalidRequestError("The request body was not fully received.")


def json_response(
    body: bytes, headers: dict[str, str] | None = None, status: int = 200
) -> Response:
    return Response(body, status_code=status, media_type=JSON, headers=headers)


class WholeBody:
    """A response whose body is complete (a JSON answer, an error, an unpaced stream): the
    two ASGI messages and nothing else, for the endpoints that bypass Starlette's routing.

    ``sized=False`` (an unpaced stream) sends no ``content-length``: the real API sends
    ``text/event-stream`` chunked, and clients that time or debounce a stream read it as
    one. uvicorn then frames the one body message as a single chunk plus the terminating
    empty chunk, in one socket write, so the speed of the one-write path is kept.
    """

    __slots__ = ("body", "content_type", "extra", "headers", "status")

    def __init__(
        self,
        body: bytes,
        content_type: bytes,
        extra: Mapping[str, str],
        status: int = 200,
        *,
        sized: bool = True,
    ) -> None:
        self.body = body
        self.status = status
        self.content_type = content_type
        self.extra = extra
        """The headers beyond content type and length, as given (the journal reads them)."""
        self.headers = [(b"content-type", content_type)]
        if sized:
            self.headers.append((b"content-length", b"%d" % len(body)))
        if extra:
            self.headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.send(send)

    async def send(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


def error_response(error: ApiError, request_id: str | None) -> WholeBody:
    """The one way an ``ApiError`` leaves the server: Anthropic's envelope, its status and
    headers (FastAPI's exception handler and the raw endpoints both answer with this)."""
    return WholeBody(
        envelope_bytes(error, request_id),
        _JSON_BYTES,
        error.response_headers(),
        error.status_code,
    )


def outcome_response(
    outcome: Outcome, request_id: str, grace_period: float = 0.0
) -> WholeBody | Response:
    if not outcome.stream:
        return WholeBody(render_json(outcome.message), _JSON_BYTES, outcome.headers)
    plan = outcome.plan
    if plan.whole:
        # The hot path of every frontend test: the whole stream in one write.
        body = b"".join(
            encode_event(n, d) for n, d in iter_events(outcome.message, plan.chunk_size)
        )
        return WholeBody(body, _SSE_BYTES, _sse_headers(outcome.headers), sized=False)
    chunks = _paced(outcome, request_id)
    if outcome.on_end is not None:
        chunks = _reporting_end(chunks, outcome.on_end)
    if plan.drop_after is not None:
        return _DroppedStream(chunks, media_type=SSE, headers=_sse_headers(outcome.headers))
    # sse-starlette writes the paced stream: it stops when the client goes away and lets
    # in-flight streams finish during a graceful shutdown. Its own pinger is left idle: it
    # runs beside the stream and could write a ping after `message_stop` (`_paced` pings).
    return EventSourceResponse(
        chunks,
        media_type=SSE,
        headers=_sse_headers(outcome.headers),
        sep="\n",
        ping=_NO_KEEPALIVE,
        shutdown_grace_period=grace_period,
    )


def _sse_headers(extra: Mapping[str, str]) -> dict[str, str]:
    return {"cache-control": "no-cache", **extra}


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
    chunks: AsyncIterator[bytes], on_end: Callable[[bool], None]
) -> AsyncIterator[bytes]:
    """``chunks``, then ``on_end(reached message_stop)``, also when the client went away."""
    last = b""
    try:
        async for chunk in chunks:
            last = chunk
            yield chunk
    finally:
        on_end(last.startswith(b"event: message_stop"))


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
