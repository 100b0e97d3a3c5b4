"""Shared edge helpers: read a bounded body, read the caller, write JSON and streams.

Only this package (and ``main``) knows Starlette/FastAPI.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from ..errors import ApiError, InvalidRequestError, RequestTooLargeError
from ..headers import Caller, read_caller
from ..render import encode_event, error_event, iter_events
from ..sandbox import Outcome, Sandbox

MESSAGES_BODY_LIMIT = 32 * 1024 * 1024
TOO_LARGE = "Request exceeds the maximum allowed number of bytes."
JSON = "application/json"
SSE = "text/event-stream; charset=utf-8"


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def request_id_of(request: Request) -> str:
    return request.scope["state"]["request_id"]


def caller_of(request: Request, *, require_version: bool = True) -> Caller:
    sandbox = sandbox_of(request)
    headers = {
        k.decode("latin-1").lower(): v.decode("latin-1") for k, v in request.scope["headers"]
    }
    query = request.scope.get("query_string", b"")
    host = headers.get("host") or f"{sandbox.settings.host}:{sandbox.settings.port}"
    scheme = headers.get("x-forwarded-proto") or request.scope.get("scheme", "http")
    return read_caller(
        headers,
        request_id=request_id_of(request),
        query_beta=b"beta=true" in query,
        api_keys=sandbox.settings.api_keys,
        known_betas=sandbox.known_betas,
        base_url=f"{scheme}://{host}",
        require_version=require_version,
    )


async def read_json_body(request: Request, limit: int = MESSAGES_BODY_LIMIT) -> bytes:
    """The raw body, refused early when too large (never buffers more than ``limit``)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(TOO_LARGE)
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media != JSON and not media.endswith("+json"):
        # Deliberate choice: the real API's wording for a wrong content type is not public.
        raise InvalidRequestError(
            f"Invalid content-type '{media}': the request body must be JSON (application/json)."
        )
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise RequestTooLargeError(TOO_LARGE)
            chunks.append(chunk)
    except ClientDisconnect:
        raise InvalidRequestError("The request body was not fully received.") from None
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if not body:
        raise InvalidRequestError("The request body is empty; a JSON object is required.")
    return body


def json_response(
    body: bytes, headers: dict[str, str] | None = None, status: int = 200
) -> Response:
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def outcome_response(outcome: Outcome, request_id: str) -> Response:
    from ..render import render_json

    if not outcome.stream:
        return json_response(render_json(outcome.message), outcome.headers)
    plan = outcome.plan
    if not plan.paced and plan.error_after is None and plan.drop_after is None:
        if not plan.omit_message_stop:
            # The hot path of every frontend test: the whole stream in one write.
            body = b"".join(
                encode_event(n, d) for n, d in iter_events(outcome.message, plan.chunk_size)
            )
            return Response(body, media_type=SSE, headers=_sse_headers(outcome.headers))
    return StreamingResponse(
        _paced(outcome, request_id), media_type=SSE, headers=_sse_headers(outcome.headers)
    )


def _sse_headers(extra: dict[str, str]) -> dict[str, str]:
    return {"cache-control": "no-cache", **extra}


async def _paced(outcome: Outcome, request_id: str) -> AsyncIterator[bytes]:
    """Write events one by one with the plan's timing and faults."""
    plan = outcome.plan
    rng = random.Random(outcome.message["id"])
    per_token = 1.0 / plan.tokens_per_second if plan.tokens_per_second else 0.0
    sent = 0
    first_delta = True
    for name, data in iter_events(outcome.message, plan.chunk_size):
        if plan.drop_after is not None and sent >= plan.drop_after:
            raise _DropConnection()
        if plan.error_after is not None and sent >= plan.error_after:
            error = plan.error or ApiError("Overloaded", status=529, error_type="overloaded_error")
            yield encode_event(*error_event(error, request_id))
            return
        if name == "message_stop" and plan.omit_message_stop:
            return
        if name == "content_block_delta":
            delay = per_token
            if first_delta:
                delay += plan.first_token_delay
                first_delta = False
            if plan.jitter and delay:
                delay *= 1 + rng.uniform(-plan.jitter, plan.jitter)
            if delay > 0:
                await asyncio.sleep(delay)
        yield encode_event(name, data)
        sent += 1


class _DropConnection(Exception):
    """Raised inside a stream to cut the connection without a clean end (fault injection)."""
