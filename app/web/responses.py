"""Writing answers: JSON, the one error response, and a built Message as JSON or SSE (an
unpaced stream is written whole, in one piece; a paced or faulted one by ``streams``)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..errors import ApiError, envelope_bytes
from ..message.render import encode_event, iter_events, render_json
from ..pipeline import Outcome

JSON = "application/json"
SSE = "text/event-stream; charset=utf-8"
JSON_BYTES = JSON.encode()
SSE_BYTES = SSE.encode()
BODY_FOLLOWS = "sandbox.body_follows"
"""On an ``http.response.start``: the whole body is the very next message (``web.front``'s
complete answers). Our server (``protocol.FastSend``) then writes head and body in one
system call; any other ASGI server ignores the key, as the spec asks."""
HEAD_TAIL = "sandbox.head_tail"
"""On an ``http.response.start``: a ``HeadTail`` whose pairs end its headers."""


class HeadTail:
    """Response headers that end many answers' heads as the very same values: the
    organization id and the ``anthropic-ratelimit-*`` rows (without configured limits, the
    same rows for a whole second). ``web.front`` puts one on each head it stamps (under
    ``HEAD_TAIL``); our server (``protocol.FastSend``) checks and joins its pairs once, not
    per answer, when they still end the head. Any other ASGI server ignores the key."""

    __slots__ = ("lines", "pairs", "source")

    def __init__(self, pairs: tuple[tuple[bytes, bytes], ...], source: object) -> None:
        self.pairs = pairs
        self.source = source
        """What the pairs were made from (``web.front``: the rate-limit rows' list), to tell
        when a new tail is due."""
        self.lines: bytes | None = None
        """Set by ``protocol.FastSend``: the pairs as head lines once checked by uvicorn's
        rules; empty when one fails them (the head is then written the general way)."""


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
        JSON_BYTES,
        error.response_headers(),
        error.status_code,
    )


def outcome_response(
    outcome: Outcome, request_id: str, grace_period: float = 0.0
) -> WholeBody | Response:
    if not outcome.stream:
        return WholeBody(render_json(outcome.message), JSON_BYTES, outcome.headers)
    plan = outcome.plan
    if plan.whole:
        # The hot path of every frontend test: the whole stream in one write.
        body = b"".join(
            encode_event(n, d) for n, d in iter_events(outcome.message, plan.chunk_size)
        )
        return WholeBody(body, SSE_BYTES, sse_headers(outcome.headers), sized=False)
    from .streams import paced_response  # only paced or faulted streams need it

    return paced_response(outcome, request_id, grace_period)


def sse_headers(extra: Mapping[str, str]) -> dict[str, str]:
    return {"cache-control": "no-cache", **extra}
