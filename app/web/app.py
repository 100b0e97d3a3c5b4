"""``create_app(settings)``: wires the routes, the middleware and the one error handler.

Nothing happens at import time; the CLI and the tests call ``create_app``.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from ..errors import ApiError, InvalidRequestError, NotFoundError
from ..fixtures.watch import FixtureStatus, FixtureWatcher
from ..sandbox import Sandbox
from ..settings import Settings
from .admin_guard import AdminGuard
from .cors import CorsMiddleware
from .edge import error_response
from .front import Front, internal_error
from .routes import admin, batches, count_tokens, files, messages, models

if TYPE_CHECKING:
    from ..recorder.miss import MissForwarder


def create_app(settings: Settings | None = None, *, sandbox: Sandbox | None = None) -> ASGIApp:
    """The whole server: the middlewares every request passes, then ``POST /v1/messages``
    (``routes.messages``), then the FastAPI app for every other route.

    The middlewares wrap the FastAPI app from the outside rather than being added to it, so
    the hot route is not behind FastAPI's own per-request stack; the order is unchanged.
    """
    settings = settings or Settings.from_env()
    sandbox = sandbox or Sandbox(settings)
    endpoint = messages.Endpoint(sandbox)
    forwarder = _record_on_miss(settings, sandbox, endpoint) if settings.record_on_miss else None
    guard = AdminGuard(settings.admin_hosts, settings.admin_token)
    # Request id, common headers, journal entry and the 500 envelope, for every route;
    # POST /v1/messages is answered by the endpoint without passing through FastAPI.
    app: ASGIApp = Front(
        _api(settings, sandbox, endpoint, guard, forwarder),
        messages=endpoint,
        organization_id=sandbox.organization_id,
        extra=sandbox.rate_limit_headers,
        journal=sandbox.journal,
        guard=guard,
    )
    # Outermost: preflights are answered before auth, and even a 500 carries the CORS
    # headers a browser needs to read it.
    return CorsMiddleware(app, allow_any_origin=settings.cors_allow_any_origin)


def _record_on_miss(
    settings: Settings, sandbox: Sandbox, endpoint: messages.Endpoint
) -> MissForwarder:
    """``serve --record-on-miss``: misses are forwarded upstream (raises ``OutDirError``
    when the recordings would have nowhere to go)."""
    from ..recorder.miss import miss_forwarder, miss_recording

    recording = miss_recording(settings.fixtures, settings.record_dir, upstream=settings.upstream)
    forwarder = miss_forwarder(
        recording,
        upstream=settings.upstream,
        redact=settings.redact,
        reload=sandbox.reload,
    )
    endpoint.on_miss = forwarder.answer
    sandbox.playback.forward_misses = True
    return forwarder


def _api(
    settings: Settings,
    sandbox: Sandbox,
    messages_endpoint: messages.Endpoint,
    guard: AdminGuard,
    forwarder: MissForwarder | None = None,
) -> FastAPI:
    """Every route; errors leave through ``error_response``."""
    app = FastAPI(
        title="messages-sandbox",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
        # A path with a trailing slash (`/v1/files/`) is an unknown path, 404 `Not Found` as
        # the real API answers unknown paths, not a 307 to another URL. Deliberate choice:
        # the real API's answer to these exact paths is not recorded.
        redirect_slashes=False,
        **_without_telemetry(),
    )
    app.state.sandbox = sandbox
    app.state.settings = settings
    app.state.forwarder = forwarder
    # What fixtures serve; the watcher updates it, /health and /_sandbox/* show it.
    app.state.fixture_status = FixtureStatus(sandbox.snapshot.summary())
    app.state.admin_guard = guard
    messages.mount(app, messages_endpoint)
    app.include_router(count_tokens.router)
    app.include_router(models.router)
    app.include_router(batches.router)
    app.include_router(files.router)
    admin.mount(app)

    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Anything else a route raises: Starlette's outermost middleware calls this, writes the
    # answer, then re-raises for the server's log (``routes.front`` knows it was answered).
    app.add_exception_handler(Exception, _unhandled)
    return app


def _without_telemetry() -> dict[str, Any]:
    """FastAPI's native OpenTelemetry hooks look up the global providers on every request
    (~7 µs of ~100, measured by bench/run.py); a local mock has nothing to report to.
    FastAPI versions before the ``telemetry`` option have no such hooks."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    watcher = None
    if settings.reload:
        watcher = FixtureWatcher(
            settings.fixtures_dir(), app.state.sandbox, app.state.fixture_status
        )
        watcher.start()
    try:
        yield
    finally:
        if watcher is not None:
            watcher.stop()
        app.state.sandbox.close()
        if app.state.forwarder is not None:
            await app.state.forwarder.aclose()


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
