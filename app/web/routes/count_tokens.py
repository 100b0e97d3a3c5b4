"""``POST /v1/messages/count_tokens``: validated like Messages, counted like ``usage``."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from ...schema import UNKNOWN_FIELDS_HEADER, Stripped
from ..auth import Authenticated, authenticate
from ..body import read_json_body
from ..responses import json_response
from ..scope import sandbox_of

router = APIRouter(dependencies=[Depends(authenticate)])


@router.post("/v1/messages/count_tokens", include_in_schema=False)
async def count_tokens(request: Request, caller: Authenticated) -> Response:
    body = await read_json_body(request)
    sandbox = sandbox_of(request)
    answer = await sandbox.call(sandbox.pipeline.count_tokens, caller, body)
    unknown = {UNKNOWN_FIELDS_HEADER: answer.header()} if isinstance(answer, Stripped) else None
    return json_response(orjson.dumps(answer), unknown)
