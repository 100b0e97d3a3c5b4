"""``POST /v1/messages``: the one route every client uses, as a plain ASGI endpoint.

It is reached from ``web.front.Front`` by one comparison instead of FastAPI's router,
exception middleware and exit stack, and it answers without Request and Response objects:
that machinery cost ~60 µs of ~230 per request live (bench/results.md). Errors still leave
through the one error response (``responses.error_response``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ...errors import ApiError, StateUnavailableError
from ...fixtures.playback import NoRuleMatched
from ...headers import Caller
from ...journal import MESSAGE_KEY
from ...pipeline import Outcome
from ...sandbox import Sandbox
from ..body import BODY_KEY, read_body
from ..responses import WholeBody, error_response, outcome_response
from ..scope import scope_caller

log = logging.getLogger("messages_sandbox")

PATH = "/v1/messages"


class Endpoint:
    """The route itself: headers -> body -> ``Sandbox.messages`` -> JSON or SSE.

    ``web.front.Front`` calls ``respond`` for every ``POST /v1/messages`` and writes the
    answer itself; FastAPI's router knows the endpoint too (``mount``), so a wrong method
    gets its 405 there.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.on_miss: Callable[[Scope, bytes], ASGIApp] | None = None
        """``serve --record-on-miss``: the answer to a request no rule matched, forwarded
        upstream (``recorder.miss``); the pipeline itself only says "no rule matched"."""

    async def respond(self, scope: Scope, receive: Receive) -> WholeBody | Response | ASGIApp:
        """The answer to write: complete (JSON, an error, an unpaced stream) or streaming."""
        sandbox = self.sandbox
        request_id: str = scope["state"]["request_id"]
        try:
            caller = scope_caller(scope, sandbox)
            body = await read_body(scope, receive)
            if sandbox.shared:
                outcome = await sandbox.call(self._shared, scope, caller, body)
            else:
                outcome = sandbox.pipeline.messages(caller, body)
            scope[MESSAGE_KEY] = outcome.message  # for the journal: a reference, no copy
            return outcome_response(outcome, request_id, sandbox.settings.graceful_timeout)
        except NoRuleMatched as miss:
            if self.on_miss is None:
                return error_response(miss, request_id)
            return self.on_miss(scope, scope[BODY_KEY])
        except ApiError as error:
            return error_response(error, request_id)

    def _shared(self, scope: Scope, caller: Caller, body: bytes) -> Outcome:
        """The answer with state in Redis (``SANDBOX_STATE_URL``), run under the bridge: the
        pipeline, then the rate-limit rows the response shows."""
        sandbox = self.sandbox
        try:
            outcome = sandbox.pipeline.messages(caller, body)
        finally:
            sandbox.note_rate_limits(scope)
        on_end = outcome.on_end
        if on_end is not None:
            from ...state.bridge import run_bridged  # greenlet: with Redis only

            async def ended(completed: bool) -> None:
                # The stream's writer calls it after the last event, on the loop: bridged too.
                try:
                    await run_bridged(on_end, completed)
                except StateUnavailableError as exc:
                    # The answer is out already; the thread's next turn will say Redis is away.
                    log.warning("the end of a stream was not stored: %s", exc.message)

            outcome.on_end = ended
        return outcome

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(scope, receive)
        await response(scope, receive, send)


def mount(app: Starlette, endpoint: Endpoint) -> None:
    # A plain ASGI endpoint (not a function), so Starlette calls it as it is.
    # Starlette's signature names request functions only; it serves an ASGI app as it is.
    app.add_route(PATH, endpoint, methods=["POST"])  # type: ignore[arg-type]
    app.add_route("/health", health, methods=["GET"])


async def health(request: Request) -> Response:
    # Up, and which fixtures it serves: a failed reload shows as `stale` with its problems.
    body: dict[str, object] = {
        "status": "ok",
        "fixtures_status": request.app.state.fixture_status.view(),
    }
    connection = request.app.state.sandbox.state.connection
    if connection is not None:
        # Deliberate choice: still 200 when Redis is away (the process is up and answers
        # each request with a clear 503 meanwhile): a balancer that took every replica out
        # would answer worse. The state shows here for monitoring.
        body["state"] = {"store": "redis", "reachable": await connection.ping()}
    return Response(orjson.dumps(body), media_type="application/json")
