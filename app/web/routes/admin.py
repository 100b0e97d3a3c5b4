"""The sandbox's own surface under ``/_sandbox/``, a prefix no real API path uses.

    GET    /_sandbox/requests              the journal, newest first (path, rule, status,
                                           session, limit filters)
    GET    /_sandbox/requests/{request_id} one entry
    GET    /_sandbox/requests/{request_id}/fixture
                                           the entry as a fixture rule (YAML)
    DELETE /_sandbox/requests              clear the journal
    GET    /_sandbox/rules                 every loaded rule: file:line, hits, last hit
                                           (``?unused=true``: rules never played), and
                                           whether a reload failed (``fixtures_status``)
    POST   /_sandbox/reset                 clear the journal, play counts and script sessions
    GET    /_sandbox/config                effective settings, secrets masked, and
                                           whether a reload failed (``fixtures_status``)

Deliberate choice: no API key is asked for (a CI job reads the journal with plain curl); the
server binds to 127.0.0.1 by default, so only the local machine or its compose network can
reach it. Errors still leave in Anthropic's envelope.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from ...errors import InvalidRequestError, NotFoundError
from ...journal.redaction import mask
from ...journal.view import Filter, iso_time, valid_status_filter
from ...recorder.entry import entry_fixture
from ...sandbox import Sandbox
from ...settings import Settings
from ..edge import json_response, sandbox_of

PREFIX = "/_sandbox"


def mount(app: Starlette) -> None:
    app.add_route(f"{PREFIX}/requests", list_requests, methods=["GET"])
    app.add_route(f"{PREFIX}/requests", clear_requests, methods=["DELETE"])
    app.add_route(f"{PREFIX}/requests/{{request_id}}", get_request, methods=["GET"])
    app.add_route(f"{PREFIX}/requests/{{request_id}}/fixture", get_fixture, methods=["GET"])
    app.add_route(f"{PREFIX}/rules", list_rules, methods=["GET"])
    app.add_route(f"{PREFIX}/reset", reset, methods=["POST"])
    app.add_route(f"{PREFIX}/config", config, methods=["GET"])


def _json(value: Any) -> Response:
    return json_response(orjson.dumps(value))


async def list_requests(request: Request) -> Response:
    query = request.query_params
    status = query.get("status")
    if status is not None and not valid_status_filter(status):
        raise InvalidRequestError(
            f"status: expected a status such as 404 or a class such as 4xx, got {status!r}"
        )
    keep = Filter(
        path=query.get("path"), rule=query.get("rule"), status=status, session=query.get("session")
    )
    journal = sandbox_of(request).journal
    return _json({"data": journal.views(keep, _limit(query.get("limit")))})


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidRequestError(f"limit: expected a positive integer, got {raw!r}")
    return int(raw)


async def get_request(request: Request) -> Response:
    request_id = request.path_params["request_id"]
    view = sandbox_of(request).journal.get(request_id)
    if view is None:
        raise NotFoundError(f"No request {request_id!r} in the journal.")
    return _json(view)


async def get_fixture(request: Request) -> Response:
    request_id = request.path_params["request_id"]
    journal = sandbox_of(request).journal
    record = journal.find(request_id)
    if record is None:
        raise NotFoundError(f"No request {request_id!r} in the journal.")
    validate = sandbox_of(request).pipeline.validators.messages
    text = entry_fixture(record, journal.epoch, validate)
    return Response(text.encode(), media_type="application/yaml; charset=utf-8")


async def clear_requests(request: Request) -> Response:
    journal = sandbox_of(request).journal
    cleared = len(journal)
    journal.clear()
    return _json({"cleared": cleared})


async def list_rules(request: Request) -> Response:
    unused = request.query_params.get("unused", "").lower() in {"1", "true", "yes"}
    data = _rules(sandbox_of(request), unused=unused)
    return _json({"data": data, "fixtures_status": request.app.state.fixture_status.view()})


def _rules(sandbox: Sandbox, *, unused: bool) -> list[dict[str, Any]]:
    hits = sandbox.playback.hits
    out = []
    for rule in sandbox.snapshot.fixtures.rules:
        hit = hits.get(rule.id)
        if unused and hit is not None:
            continue
        file, _, line = rule.where.rpartition(":")
        out.append(
            {
                "id": rule.id,
                "file": file,
                "line": int(line) if line.isdigit() else None,
                "script": rule.advance,
                "steps": len(rule.steps),
                "hits": hit.count if hit else 0,
                "last_hit": iso_time(hit.last if hit else None),
            }
        )
    return out


async def reset(request: Request) -> Response:
    sandbox = sandbox_of(request)
    cleared = len(sandbox.journal)
    sandbox.journal.clear()
    sandbox.playback.reset()
    return _json({"cleared": cleared, "hits": "zeroed", "sessions": "restarted"})


async def config(request: Request) -> Response:
    shown = effective_settings(sandbox_of(request).settings)
    return _json({**shown, "fixtures_status": request.app.state.fixture_status.view()})


def effective_settings(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, Path):
            value = str(value)
        if value is not None and _secret_setting(name):
            value = [mask(v) for v in value] if isinstance(value, tuple) else mask(str(value))
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def _secret_setting(name: str) -> bool:
    return any(
        p.removesuffix("s") in {"key", "secret", "token", "password"} for p in name.split("_")
    )
