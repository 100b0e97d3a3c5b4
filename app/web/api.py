"""The FastAPI app of every route but the hot one: companions, admin, health.

Built by ``app.Companions`` when the first request for one of these routes arrives, so a
server that only answers ``POST /v1/messages`` never imports FastAPI and its routes (a
fifth of a second of start-up).
"""

from __future__ import annotations

import inspect
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from ..errors import ApiError, InvalidRequestError, NotFoundError
from ..fixtures.watch import FixtureStatus
from ..sandbox import Sandbox
from ..settings import Settings
from .admin_guard import AdminGuard
from .front import internal_error
from .responses import error_response
from .routes import admin, batches, count_tokens, files, inspector, messages, metrics, models


def build_api(
    settings: Settings,
    sandbox: Sandbox,
    messages_endpoint: messages.Endpoint,
    status: FixtureStatus,
    guard: AdminGuard,
    root: ASGIApp,
) -> FastAPI:
    """Every route; errors leave through ``error_response``. No lifespan: ``app.Companions``
    runs it (the fixture watcher), so it does not wait for this app to be built. ``root``:
    the whole server below CORS, where the inspector replays a recorded request."""
    app = FastAPI(
        title="messages-sandbox",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # A path with a trailing slash (`/v1/files/`) is an unknown path, 404 `Not Found` as
        # the real API answers unknown paths, not a 307 to another URL. Deliberate choice:
        # the real API's answer to these exact paths is not recorded.
        redirect_slashes=False,
        **_without_telemetry(),
    )
    app.state.sandbox = sandbox
    app.state.settings = settings
    # What fixtures serve (made by ``web.app.create_app``, updated by the watcher it runs).
    app.state.fixture_status = status
    app.state.admin_guard = guard
    app.state.front = root
    messages.mount(app, messages_endpoint)
    app.include_router(count_tokens.router)
    app.include_router(models.router)
    app.include_router(batches.router)
    app.include_router(files.router)
    admin.mount(app)
    inspector.mount(app)
    metrics.mount(app, sandbox)

    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Anything else a route raises: Starlette's outermost middleware calls this, writes the
    # answer, then re-raises for the server's log (``web.front`` knows it was answered).
    app.add_exception_handler(Exception, _unhandled)
    return app


def _without_telemetry() -> dict[str, Any]:
    """FastAPI's native OpenTelemetry hooks look up the global providers on every request
    (~7 µs of ~100, measured by bench/run.py); a local mock has nothing to report to.
    FastAPI versions before the ``telemetry`` option have no such hooks."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def _request_id(request: Request) -> str | None:
    rid: str | None = request.scope.get("state", {}).get("request_id")
    return rid


async def _api_error(request: Request, exc: Any) -> Response:
    assert isinstance(exc, ApiError)
    # A plain ASGI response is what FastAPI's exception middleware calls next; typed as
    # Response for its handler signature.
    return error_response(exc, _request_id(request))  # type: ignore[return-value]


async def _unhandled(request: Request, exc: Any) -> Response:
    return internal_error(request.scope, _request_id(request) or "")  # type: ignore[return-value]


async def _http_error(request: Request, exc: Any) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    error: ApiError
    if exc.status_code == 404:
        error = NotFoundError("Not Found")
    else:
        # Deliberate choice (e.g. 405 for a wrong method): keep the status, Anthropic envelope.
        error = InvalidRequestError(str(exc.detail), status=exc.status_code)
    return await _api_error(request, error)
