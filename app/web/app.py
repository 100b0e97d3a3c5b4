"""``create_app(settings)``: wires the routes, the middleware and the one error handler.

Nothing happens at import time; the CLI and the tests call ``create_app``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Receive, Scope, Send

from ..fixtures.watch import FixtureStatus, FixtureWatcher
from ..sandbox import Sandbox
from ..settings import Settings
from .admin_guard import AdminGuard
from .front import Front
from .routes import messages

if TYPE_CHECKING:
    from ..recorder.miss import MissForwarder


def create_app_from_env() -> ASGIApp:
    """The factory each worker process of ``serve --workers N`` calls (uvicorn imports it
    by name): the same server, from the ``SANDBOX_*`` variables the CLI set for it."""
    settings = Settings.from_env()
    sandbox = Sandbox(settings)
    logging.getLogger("messages_sandbox").info("worker %d %s", os.getpid(), sandbox.describe())
    return create_app(settings, sandbox=sandbox)


def create_app(settings: Settings | None = None, *, sandbox: Sandbox | None = None) -> ASGIApp:
    """The whole server: the middlewares every request passes, then ``POST /v1/messages``
    (``routes.messages``), then the FastAPI app for every other route (``api``).

    The middlewares wrap the FastAPI app from the outside rather than being added to it, so
    the hot route is not behind FastAPI's own per-request stack; the order is unchanged.
    """
    settings = settings or Settings.from_env()
    sandbox = sandbox or Sandbox(settings)
    endpoint = messages.Endpoint(sandbox)
    forwarder = _record_on_miss(settings, sandbox, endpoint) if settings.record_on_miss else None
    # What fixtures serve; the watcher updates it, /health and /_sandbox/* show it.
    status = FixtureStatus(sandbox.snapshot.summary())
    # Each reload's outcome is pushed to open inspector pages (``GET /_sandbox/events``).
    status.on_change = partial(sandbox.feed.notify, "reload")
    guard = AdminGuard(settings.admin_hosts, settings.admin_token)
    # Request id, common headers, journal entry and the 500 envelope, for every route;
    # POST /v1/messages is answered by the endpoint without passing through FastAPI.
    front: Front | None = None

    def build_api() -> ASGIApp:
        # Built on the first request that needs it, when ``front`` exists: the inspector
        # replays a recorded request through the whole server below CORS.
        assert front is not None
        return _build_api(settings, sandbox, endpoint, status, guard, front)

    front = Front(
        Companions(build_api, settings, sandbox, status, forwarder),
        messages=endpoint,
        organization_id=sandbox.organization_id,
        extra=sandbox.rate_limit_headers,
        journal=sandbox.journal,
        metrics=sandbox.metrics,
        guard=guard,
        prepare=sandbox.prepare_response if sandbox.shared else None,
        # A browser's request passes the CORS rules first: preflights are answered before
        # auth, and even a 500 carries the CORS headers a browser needs to read it.
        allow_any_origin=settings.cors_allow_any_origin,
    )
    return front


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


def _build_api(
    settings: Settings,
    sandbox: Sandbox,
    endpoint: messages.Endpoint,
    status: FixtureStatus,
    guard: AdminGuard,
    root: ASGIApp,
) -> ASGIApp:
    from .api import build_api

    return build_api(settings, sandbox, endpoint, status, guard, root)


class Companions:
    """Every route but ``POST /v1/messages``, and the server's lifespan (the fixture
    watcher, the record-on-miss forwarder's connections). The FastAPI app behind them is
    built by the first request that needs it: most runs of a mock answer only the hot
    route, and importing FastAPI and its routes would double the time to the first answer."""

    def __init__(
        self,
        build: Callable[[], ASGIApp],
        settings: Settings,
        sandbox: Sandbox,
        status: FixtureStatus,
        forwarder: MissForwarder | None = None,
    ) -> None:
        self.build = build
        self.settings = settings
        self.sandbox = sandbox
        self.status = status
        self.forwarder = forwarder
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if self.app is None:
            self.app = self.build()  # synchronous: two first requests cannot both build
        await self.app(scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        """The ASGI lifespan protocol: the fixture watcher runs from start-up to shutdown."""
        watcher = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if self.settings.reload:
                        watcher = FixtureWatcher(
                            self.settings.fixtures_dir(), self.sandbox, self.status
                        )
                        watcher.start()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if watcher is not None:
                    watcher.stop()
                self.sandbox.close()
                if self.forwarder is not None:
                    await self.forwarder.aclose()
                connection = self.sandbox.state.connection
                if connection is not None:
                    await connection.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return
