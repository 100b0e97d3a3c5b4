"""``GET /v1/models`` and ``GET /v1/models/{model_id}``, served from the model catalogue."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from ...catalogue import Catalogue, Model
from ...catalogue.model_info import model_info
from ...errors import InvalidRequestError, NotFoundError
from ...pages import paginate, read_limit
from ..auth import authenticate
from ..responses import json_response
from ..scope import sandbox_of

router = APIRouter(dependencies=[Depends(authenticate)])

LIFECYCLES = ("active", "deprecated", "retired")
MAX_LIFECYCLES = 3


@router.get("/v1/models", include_in_schema=False)
async def list_models(request: Request) -> Response:
    query = request.query_params
    catalogue = sandbox_of(request).snapshot.catalogue
    wanted = _lifecycles(query.getlist("lifecycle[]") or query.getlist("lifecycle"))
    models = [m for m in catalogue.newest_first(include_retired=True) if m.lifecycle in wanted]
    page = paginate(
        models,
        lambda m: m.id,
        after_id=_cursor(catalogue, query.get("after_id")),
        before_id=_cursor(catalogue, query.get("before_id")),
        limit=read_limit(query),
    )
    data = [model_info(m) for m in page.items]
    body = {
        "data": data,
        "has_more": page.has_more,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
    return json_response(orjson.dumps(body))


@router.get("/v1/models/{model_id:path}", include_in_schema=False)
async def retrieve_model(request: Request, model_id: str) -> Response:
    model: Model | None = sandbox_of(request).snapshot.catalogue.get(model_id)
    if model is None:
        # Retired models stay retrievable: the catalogue is their historical record.
        raise NotFoundError(f"model: {model_id}")
    return json_response(orjson.dumps(model_info(model)))


def _lifecycles(values: list[str]) -> frozenset[str]:
    """Without a filter: active and deprecated; retired only when asked for."""
    if not values:
        return frozenset({"active", "deprecated"})
    if len(values) > MAX_LIFECYCLES:
        raise InvalidRequestError(
            f"lifecycle: List should have at most {MAX_LIFECYCLES} items after validation, "
            f"not {len(values)}"
        )
    for i, value in enumerate(values):
        if value not in LIFECYCLES:
            raise InvalidRequestError(
                f"lifecycle.{i}: Input should be 'active', 'deprecated' or 'retired'"
            )
    return frozenset(values)


def _cursor(catalogue: Catalogue, name: str | None) -> str | None:
    """A cursor may name a model by alias; pages are keyed by the dated id."""
    if not name:
        return None
    model = catalogue.get(name)
    return model.id if model else name
