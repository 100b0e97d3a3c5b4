"""Reset (a session, or the whole server) and the live sessions with their settings."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ....errors import InvalidRequestError, NotFoundError
from ....journal.view import iso_time
from ....sessions import (
    SessionInfo,
    SessionSettings,
)
from ...scope import sandbox_of
from .common import json_of, name_of, read_admin_body, scope_of


async def reset(request: Request) -> Response:
    session = scope_of(request)
    sandbox = sandbox_of(request)
    cleared = await sandbox.call(sandbox.journal.clear, session)
    await sandbox.call(sandbox.sessions.reset, session)
    sandbox.feed.notify("reset", {"session": session, "cleared": cleared})
    return json_of(
        {"cleared": cleared, "hits": "zeroed", "sessions": "restarted", "session": session}
    )


async def list_sessions(request: Request) -> Response:
    scope_of(request)
    sandbox = sandbox_of(request)
    sessions = sandbox.sessions
    return json_of(
        {
            "data": [_session(info) for info in await sandbox.call(sessions.sessions)],
            "idle_seconds": sessions.idle,
            "capacity": sessions.capacity,
        }
    )


async def get_session(request: Request) -> Response:
    name = _named(request)
    sandbox = sandbox_of(request)
    live = await sandbox.call(sandbox.sessions.sessions)
    info = next((i for i in live if i.name == name), None)
    if info is None:
        raise NotFoundError(
            f"No live session {name!r}: a session lives once something is kept for it "
            "(a script step, a hit, a rule, a setting), until it is idle too long."
        )
    return json_of(_session(info))


async def configure_session(request: Request) -> Response:
    """``{"strict": true | false | null}`` (null: the server's mode)."""
    name = _named(request)
    body = await read_admin_body(request, 64 * 1024)
    try:
        data = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError as exc:
        raise InvalidRequestError(f"There was an error parsing the body: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidRequestError('expected a JSON object such as {"strict": true}')
    for key in data:
        if key != "strict":
            raise InvalidRequestError(f"{key}: unknown session setting; known: `strict`")
    strict = data.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise InvalidRequestError(f"strict: expected true, false or null, got {strict!r}")
    sandbox = sandbox_of(request)
    sessions = sandbox.sessions
    await sandbox.call(sessions.configure, name, SessionSettings(strict=strict))
    info = next(i for i in await sandbox.call(sessions.sessions) if i.name == name)
    return json_of(_session(info))


def _named(request: Request) -> str:
    scope_of(request)
    raw = request.path_params["name"]
    name = name_of(raw, "session")
    if name is None:
        raise InvalidRequestError(f"{raw!r} names no session")
    return name


def _session(info: SessionInfo) -> dict[str, Any]:
    return {
        "session": info.name,
        "strict": info.settings.strict,
        "rules": info.rules,
        "last_used": iso_time(info.last_used),
        "expires_at": iso_time(info.expires_at),
    }
