"""What every admin route shares: its JSON answer, the session it is asked about (refusing
unknown query parameters), flags, limits and a bounded body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ....errors import InvalidRequestError, RequestTooLargeError
from ....headers import (
    DEFAULT_SESSION,
    SESSION_HEADER,
    SESSION_NAME_RULE,
    session_name,
    valid_session_name,
)
from ...responses import json_response

PREFIX = "/_sandbox"
RULES_BODY_LIMIT = 4 * 1024 * 1024
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def json_of(value: Any) -> Response:
    return json_response(orjson.dumps(value))


def scope_of(request: Request, *allowed: str) -> str | None:
    """The session a route is asked about (None: the whole server), after refusing any query
    parameter the route does not take."""
    query = request.query_params
    takes = ("session", *allowed)
    for name in query:
        if name not in takes:
            raise InvalidRequestError(
                f"unknown query parameter `{name}`; {request.url.path} takes "
                + ", ".join(f"`{t}`" for t in sorted(takes))
            )
    named = query.getlist("session")
    if len(named) > 1:
        raise InvalidRequestError("session: give one session")
    session = None
    if named:
        session = name_of(named[0], "session")
        if session is None:
            raise InvalidRequestError(
                f"session: expected a session name, got {named[0]!r} (`{DEFAULT_SESSION}` "
                "names the requests outside any session; leave `session` out for the whole "
                "server)"
            )
    # The last one: a /session/S prefix is appended after any header the client sent.
    sent = request.headers.getlist(SESSION_HEADER)
    header = name_of(sent[-1] if sent else "", SESSION_HEADER)
    if session is not None and header is not None and header != session:
        raise InvalidRequestError(
            f"session: `?session={session}` and the request's session `{header}` differ"
        )
    return session or header


def name_of(raw: str, where: str) -> str | None:
    if raw and not valid_session_name(raw):
        raise InvalidRequestError(f"{where}: {SESSION_NAME_RULE}")
    return session_name(raw)


def flag(query: Mapping[str, str], name: str) -> bool:
    raw = query.get(name)
    if raw is None:
        return False
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise InvalidRequestError(f"{name}: expected true or false, got {raw!r}")


def limit_of(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidRequestError(f"limit: expected a positive integer, got {raw!r}")
    return int(raw)


async def read_admin_body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(f"Rules documents are limited to {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
