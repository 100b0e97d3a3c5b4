"""The journal routes: list, one entry, an entry as a fixture rule, clear."""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ....errors import InvalidRequestError, NotFoundError
from ....headers import Caller
from ....journal.view import Filter, session_of, unmatched, valid_status_filter
from ....recorder.entry import entry_fixture
from ....sandbox import Sandbox
from ...scope import sandbox_of
from .common import json_of, limit_of, scope_of

log = logging.getLogger("messages_sandbox")


async def list_requests(request: Request) -> Response:
    session = scope_of(request, "path", "rule", "status", "limit")
    query = request.query_params
    status = query.get("status")
    if status is not None and not valid_status_filter(status):
        raise InvalidRequestError(
            f"status: expected a status such as 404 or a class such as 4xx, got {status!r}"
        )
    keep = Filter(path=query.get("path"), rule=query.get("rule"), status=status, session=session)
    sandbox = sandbox_of(request)
    limit = limit_of(query.get("limit"))

    def listed() -> list[dict[str, Any]]:
        return [_with_near_misses(sandbox, v) for v in sandbox.journal.views(keep, limit)]

    return json_of({"data": await sandbox.call(listed)})


async def get_request(request: Request) -> Response:
    session = scope_of(request)
    request_id = request.path_params["request_id"]
    sandbox = sandbox_of(request)
    view = await sandbox.call(sandbox.journal.get, request_id)
    if view is None or (session is not None and view["session"] != session):
        where = f" of session {session!r}" if session is not None else ""
        raise NotFoundError(f"No request {request_id!r} in the journal{where}.")
    return json_of(await sandbox.call(_with_near_misses, sandbox, view))


async def get_fixture(request: Request) -> Response:
    session = scope_of(request)
    request_id = request.path_params["request_id"]
    sandbox = sandbox_of(request)
    journal = sandbox.journal
    record = await sandbox.call(journal.find, request_id)
    if record is None or (session is not None and session_of(record) != session):
        where = f" of session {session!r}" if session is not None else ""
        raise NotFoundError(f"No request {request_id!r} in the journal{where}.")
    validate = sandbox_of(request).pipeline.validators.messages
    text = entry_fixture(record, journal.epoch, validate)
    return Response(text.encode(), media_type="application/yaml; charset=utf-8")


def _with_near_misses(sandbox: Sandbox, view: dict[str, Any]) -> dict[str, Any]:
    """An entry no rule answered gets the rules closest to matching it, judged now, against
    the rules in force (computed when read: recording stays cheap)."""
    if not unmatched(view) or not isinstance(view["body"], dict):
        return view
    headers: dict[str, str] = view["headers"]
    betas = tuple(b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip())
    beta = bool(betas) or "beta=true" in view["query"]
    caller = Caller(view["id"], "", headers.get("anthropic-version", ""), betas, beta, headers)
    try:
        miss = sandbox.playback.explain(sandbox.snapshot.fixtures, view["body"], caller)
    except Exception:
        # The journal keeps the body redacted, and the rules may have changed since: an
        # entry they cannot judge is shown without near misses rather than failing the read.
        log.debug("no near misses for %s", view["id"], exc_info=True)
        return view
    view["near_misses"] = [
        {"rule": n.rule_id, "where": n.where, "failed": list(n.failed)} for n in miss.near
    ]
    return view


async def clear_requests(request: Request) -> Response:
    session = scope_of(request)
    sandbox = sandbox_of(request)
    cleared = await sandbox.call(sandbox.journal.clear, session)
    sandbox.feed.notify("reset", {"session": session, "cleared": cleared})
    return json_of({"cleared": cleared, "session": session})
