"""``POST /v1/messages``: the one route every client uses."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from .edge import caller_of, outcome_response, read_json_body, request_id_of, sandbox_of

router = APIRouter()


@router.post("/v1/messages", include_in_schema=False)
async def create_message(request: Request) -> Response:
    caller = caller_of(request)
    body = await read_json_body(request)
    outcome = sandbox_of(request).messages(caller, body)
    return outcome_response(outcome, request_id_of(request))


@router.get("/health", include_in_schema=False)
async def health(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")
