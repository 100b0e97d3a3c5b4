"""CORS the way the real API does it: browsers must opt in.

A pure ASGI middleware (no ``BaseHTTPMiddleware``, so streamed SSE bodies pass through
untouched). What it emulates, from field reports of ``api.anthropic.com``:

* Requests without an ``Origin`` header (SDKs, curl, servers) are not touched at all.
* A browser request (``Origin`` present) is served only when it carries
  ``anthropic-dangerous-direct-browser-access: true`` (the official TypeScript SDK sends it
  with ``dangerouslyAllowBrowser: true``). Its response, JSON or SSE, then carries
  ``access-control-allow-origin: *`` and ``access-control-expose-headers: *`` (the real
  API's values), so page scripts can read ``request-id``, ``retry-after``,
  ``anthropic-ratelimit-*``, ``x-should-retry`` ...
* Without the header: 401 ``authentication_error`` with the real message
  ``CORS requests must set 'anthropic-dangerous-direct-browser-access' header`` and, like
  the real API, no CORS headers (so a browser only sees a network error; curl sees the body).
* Preflight (``OPTIONS`` with ``Access-Control-Request-Method``): allowed when the header
  is among ``Access-Control-Request-Headers``; answered here, never reaching the routes.
* ``allow_any_origin=True`` (``SANDBOX_CORS_ALLOW_ANY_ORIGIN``): every browser request and
  preflight is allowed, header or not.
* The admin surface (``/_sandbox/...``, also under a ``/session/S`` prefix) never gets any
  CORS header, whatever the above: it passes through untouched, and ``admin_guard`` refuses
  a request from another origin (preflights included).

``web.front.Front`` sends a request with an ``Origin`` header through it first, wrapped
around ``Front`` itself, before anything else runs (so it acts as the outermost layer for
browsers; every other request skips it with one dict lookup)::

    self.cors = CorsMiddleware(self, allow_any_origin=allow_any_origin)

It reuses ``scope["state"]["request_id"]`` when one was assigned already and only stamps
``request-id`` itself when none was.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import AuthenticationError
from ..ids import request_id as new_request_id
from .responses import error_response
from .session_path import targets_admin

BROWSER_ACCESS_HEADER = "anthropic-dangerous-direct-browser-access"

# The real API's 401 wording for a browser request without the opt-in header (seen in many
# field reports; the status and error type match them too).
MISSING_HEADER_MESSAGE = f"CORS requests must set '{BROWSER_ACCESS_HEADER}' header"

# Deliberate choices (the real preflight answer is not documented): 204, the methods the
# API's endpoints use, the requested headers echoed back, a one-day max age (browsers cap
# it lower), and Private Network Access granted so public pages may call a local sandbox.
PREFLIGHT_STATUS = 204
ALLOW_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS"
MAX_AGE = b"86400"

# The real API answers browser requests with these two (both ``*``: no credentials are
# involved, the key travels in a header).
ALLOW_ORIGIN = b"*"
EXPOSE_HEADERS = b"*"


class CorsMiddleware:
    def __init__(self, app: ASGIApp, allow_any_origin: bool = False) -> None:
        self.app = app
        self.allow_any_origin = allow_any_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not _has_origin(scope["headers"]) or targets_admin(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)

        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(scope, headers, send)
            return

        opted_in = headers.get(BROWSER_ACCESS_HEADER, "").strip().lower() == "true"
        if not (opted_in or self.allow_any_origin):
            await _reject(scope, send)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = [
                    (k, v)
                    for k, v in message.get("headers", ())
                    if k.lower()
                    not in (b"access-control-allow-origin", b"access-control-expose-headers")
                ]
                out.append((b"access-control-allow-origin", ALLOW_ORIGIN))
                out.append((b"access-control-expose-headers", EXPOSE_HEADERS))
                message["headers"] = out
            await send(message)

        await self.app(scope, receive, with_cors)

    async def _preflight(self, scope: Scope, headers: dict[str, str], send: Send) -> None:
        requested = headers.get("access-control-request-headers", "")
        names = {h.strip().lower() for h in requested.split(",") if h.strip()}
        if not (BROWSER_ACCESS_HEADER in names or self.allow_any_origin):
            # Deliberate choice: how the real API answers such a preflight is unknown; the
            # same 401 as the actual request keeps the message visible to curl users, and a
            # browser fails the request as it would against the real API.
            await _reject(scope, send)
            return
        out = [
            (b"access-control-allow-origin", ALLOW_ORIGIN),
            (b"access-control-allow-methods", ALLOW_METHODS),
            (b"access-control-max-age", MAX_AGE),
            (b"vary", b"Access-Control-Request-Headers, Access-Control-Request-Private-Network"),
            (b"content-length", b"0"),
        ]
        if requested:
            out.append((b"access-control-allow-headers", requested.encode("latin-1")))
        if headers.get("access-control-request-private-network", "").lower() == "true":
            out.append((b"access-control-allow-private-network", b"true"))
        out.extend(_request_id_header(scope))
        await send({"type": "http.response.start", "status": PREFLIGHT_STATUS, "headers": out})
        await send({"type": "http.response.body", "body": b""})


def _has_origin(raw: list[tuple[bytes, bytes]]) -> bool:
    # Every request passes here and almost none is a browser's: a scan of the raw names,
    # no decoding, decides.
    for name, _ in raw:  # noqa: SIM110 - a plain loop, no generator frame per request
        if name == b"origin":
            return True
    return False


def _headers(scope: Scope) -> dict[str, str]:
    # ASGI header names are lower-case already; repeated headers: the last one wins.
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _request_id_header(scope: Scope) -> list[tuple[bytes, bytes]]:
    """Our own ``request-id`` header, unless an outer middleware already assigned one."""
    state = scope.setdefault("state", {})
    if state.get("request_id"):
        return []
    state["request_id"] = new_request_id()
    return [(b"request-id", state["request_id"].encode())]


async def _reject(scope: Scope, send: Send) -> None:
    """The one error response (``responses.error_response``), plus our ``request-id`` when no
    inner layer assigned one (this answer never reaches them)."""
    own = _request_id_header(scope)
    response = error_response(
        AuthenticationError(MISSING_HEADER_MESSAGE), scope["state"]["request_id"]
    )
    response.headers += own
    await response.send(send)
