"""``GET /metrics``: the server's figures in the Prometheus text format (``app.metrics``).

Deliberate choice: like ``/health``, and unlike ``/_sandbox/...``, it is open to any Host and
needs no admin token: a Prometheus scraper addresses the service by its compose or
Kubernetes name, and the figures hold no request content (routes, statuses, rule ids,
counts). It is not recorded in the journal nor counted in its own figures; a browser on
another origin cannot read it (the CORS rules of the API refuse it).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from ...metrics import registry
from ...sandbox import Sandbox

PATH = "/metrics"


def mount(app: Starlette, sandbox: Sandbox) -> None:
    app.add_route(PATH, metrics, methods=["GET"])


async def metrics(request: Request) -> Response:
    # prometheus-client with the first scrape (``app.metrics``).
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    state = request.app.state
    # One registry per app, made on the first scrape: two apps in one process never share
    # a figure. (Made on the event loop, so two first scrapes cannot both make one.)
    if getattr(state, "metrics_registry", None) is None:
        state.metrics_registry = registry(state.sandbox)
    body = generate_latest(state.metrics_registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
