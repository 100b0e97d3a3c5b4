"""``create_app(settings)``: wires the routes, the middleware and the one error handler.

Nothing happens at import time; the CLI and the tests call ``create_app``.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from .cors import CorsMiddleware
from .errors import ApiError, InvalidRequestError, NotFoundError, envelope_bytes
from .reload import FixtureWatcher
from .routes import admin, batches, count_tokens, files, messages, models
from .routes.middleware import CommonHeaders
from .routes.recording import Recording
from .sandbox import Sandbox
from .settings import Settings


def create_app(settings: Settings | None = None, *, sandbox: Sandbox | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    sandbox = sandbox or Sandbox(settings)
    app = FastAPI(
        title="messages-sandbox",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
        **_without_telemetry(),
    )
    app.state.sandbox = sandbox
    app.state.settings = settings
    messages.mount(app)
    app.include_router(count_tokens.router)
    app.include_router(models.router)
    app.include_router(batches.router)
    app.include_router(files.router)
    admin.mount(app)

    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)

    app.add_middleware(
        CommonHeaders, organization_id=sandbox.organization_id, extra=sandbox.rate_limit_headers
    )
    # Outside CommonHeaders: the journal sees the final status and the request id.
    app.add_middleware(Recording, journal=sandbox.journal)
    # Added last, so outermost: preflights are answered before auth, and even a 500 carries
    # the CORS headers a browser needs to read it.
    app.add_middleware(CorsMiddleware, allow_any_origin=settings.cors_allow_any_origin)
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
        watcher = FixtureWatcher(Path(settings.fixtures), app.state.sandbox)
        watcher.start()
    try:
        yield
    finally:
        if watcher is not None:
            watcher.stop()


def _request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


async def _api_error(request: Request, exc: Any) -> Response:
    assert isinstance(exc, ApiError)
    return Response(
        envelope_bytes(exc, _request_id(request)),
        status_code=exc.status_code,
        media_type="application/json",
        headers=exc.response_headers(),
    )


async def _http_error(request: Request, exc: Any) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    error: ApiError
    if exc.status_code == 404:
        error = NotFoundError("Not Found")
    else:
        # Deliberate choice (e.g. 405 for a wrong method): keep the status, Anthropic envelope.
        error = InvalidRequestError(str(exc.detail), status=exc.status_code)
    return await _api_error(request, error)
