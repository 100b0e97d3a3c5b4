"""``/v1/messages/batches``: create, retrieve, list, cancel, delete, results (JSONL)."""

from __future__ import annotations

import asyncio
from functools import partial

import orjson
from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ...batches import BATCH_BODY_LIMIT
from ...errors import InvalidRequestError
from ...pages import read_limit
from ..auth import Authenticated, authenticate
from ..body import read_json_body
from ..responses import json_response
from ..scope import base_url_of, sandbox_of

router = APIRouter(dependencies=[Depends(authenticate)])
PREFIX = "/v1/messages/batches"
# What the real endpoint sends (anthropics/anthropic-sdk-ruby#208: it once sent none, which
# broke the Ruby and PHP SDKs' JSONL decoding; the Python SDK decodes whatever the type).
JSONL = "application/x-jsonl"
STEP = 500  # requests answered between two yields to the event loop


@router.post(PREFIX, include_in_schema=False)
async def create_batch(request: Request, caller: Authenticated) -> Response:
    body = await read_json_body(request, limit=BATCH_BODY_LIMIT)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequestError(f"There was an error parsing the body: {exc}") from None
    sandbox = sandbox_of(request)
    builder = sandbox.batches.begin(data)
    answer = partial(sandbox.pipeline.answer_params, caller)
    while await sandbox.call(builder.step, answer, STEP):
        await asyncio.sleep(0)  # let live requests through between steps of a large batch
    batch = await sandbox.call(builder.finish)
    return json_response(orjson.dumps(batch.body(base_url_of(request))))


@router.get(PREFIX, include_in_schema=False)
async def list_batches(request: Request) -> Response:
    query = request.query_params
    sandbox = sandbox_of(request)
    listing = partial(
        sandbox.batches.list,
        limit=read_limit(query),
        after_id=query.get("after_id") or None,
        before_id=query.get("before_id") or None,
    )
    page = await sandbox.call(listing)
    base_url = base_url_of(request)
    page["data"] = [b.body(base_url) for b in page.pop("batches")]
    return json_response(orjson.dumps(page))


@router.get(PREFIX + "/{batch_id}", include_in_schema=False)
async def retrieve_batch(request: Request, batch_id: str) -> Response:
    sandbox = sandbox_of(request)
    batch = await sandbox.call(sandbox.batches.retrieve, batch_id)
    return json_response(orjson.dumps(batch.body(base_url_of(request))))


@router.post(PREFIX + "/{batch_id}/cancel", include_in_schema=False)
async def cancel_batch(request: Request, batch_id: str) -> Response:
    sandbox = sandbox_of(request)
    batch = await sandbox.call(sandbox.batches.cancel, batch_id)
    return json_response(orjson.dumps(batch.body(base_url_of(request))))


@router.delete(PREFIX + "/{batch_id}", include_in_schema=False)
async def delete_batch(request: Request, batch_id: str) -> Response:
    sandbox = sandbox_of(request)
    return json_response(orjson.dumps(await sandbox.call(sandbox.batches.delete, batch_id)))


@router.get(PREFIX + "/{batch_id}/results", include_in_schema=False)
async def batch_results(request: Request, batch_id: str) -> Response:
    sandbox = sandbox_of(request)
    chunks = await sandbox.call(sandbox.batches.results, batch_id)
    disposition = f"attachment; filename*=utf-8''{batch_id}_results.jsonl"
    return StreamingResponse(chunks, media_type=JSONL, headers={"content-disposition": disposition})
