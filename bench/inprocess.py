"""In-process costs for bench/run.py: CPU µs per call, measured with process time.

Process time (not wall time) keeps the figures steady on a machine shared with other work;
each figure is the best of 25 batches.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def per_call(fn: Callable[[], object], n: int = 200, repeats: int = 25) -> float:
    """Best-of CPU µs per call (process time: other load on the box barely moves it)."""
    for _ in range(n):
        fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - t0) / n)
    return best * 1e6


def asgi_caller(
    app: Any,
    body: bytes,
    request_headers: dict[str, str],
    path: str = "/v1/messages",
    setup: Callable[[], object] | None = None,
) -> Callable[[], object]:
    """One ``POST /v1/messages`` straight into an ASGI app, no server, no socket (``path``:
    the same under a ``/session/S`` prefix); ``setup`` runs first on the same event loop
    (e.g. an inspector subscribing to the live feed)."""
    headers = [
        (b"host", b"127.0.0.1:8080"),
        *((k.encode(), v.encode()) for k, v in request_headers.items()),
        (b"content-length", str(len(body)).encode()),
    ]
    loop = asyncio.new_event_loop()

    async def receive() -> dict[str, Any]:
        # The body once; then wait like a connection that stays open (StreamingResponse
        # listens for a disconnect while it writes).
        if not state["sent"]:
            state["sent"] = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"status {message['status']}")

    state = {"sent": False}

    async def one() -> None:
        state["sent"] = False
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8080),
        }
        await app(scope, receive, send)

    if setup is not None:

        async def first() -> None:
            setup()

        loop.run_until_complete(first())
    return lambda: loop.run_until_complete(one())


def _or_nan(measure: Callable[[], float]) -> float:
    """A row an older tree cannot answer (bench/ run against it for a before/after)."""
    try:
        return measure()
    except RuntimeError:
        return float("nan")


def in_process_costs(
    fixtures: Path, samples: dict[str, Any], bodies: dict[str, Path], headers: dict[str, str]
) -> dict[str, float]:
    """CPU µs per call: validation alone, the core without HTTP, each whole app over ASGI."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from bare_app import create_app as create_bare

    from messages_sandbox.headers import read_caller
    from messages_sandbox.message.render import render_json
    from messages_sandbox.sandbox import Sandbox
    from messages_sandbox.settings import Settings
    from messages_sandbox.web.app import create_app

    settings = Settings(fixtures=fixtures, reload=False, log_level="warning")
    sandbox = Sandbox(settings)
    small = bodies["non-stream"].read_bytes()
    stream = bodies["stream"].read_bytes()
    caller = read_caller(
        {k.encode(): v.encode() for k, v in headers.items()},
        request_id="req_bench",
        query_beta=False,
        api_keys=(),
        known_betas=None,
    )
    app = create_app(settings, sandbox=sandbox)
    bare = create_bare(samples["non-stream"].read_bytes(), samples["stream"].read_bytes())
    return {
        "validate_json (small request)": per_call(
            lambda: sandbox.pipeline.validators.messages(small, beta=False), 2000
        ),
        "core: Pipeline.messages + render_json": per_call(
            lambda: render_json(sandbox.pipeline.messages(caller, small).message)
        ),
        "ASGI app, non-stream: sandbox": per_call(asgi_caller(app, small, headers)),
        "ASGI app, non-stream: sandbox, in a /session/S": _or_nan(
            lambda: per_call(asgi_caller(app, small, headers, "/session/bench-1/v1/messages"))
        ),
        # A page open on /_sandbox/ that never reads: each record is queued (and, once the
        # queue is full, the oldest dropped); building its view is the page's work, not this.
        "ASGI app, non-stream: sandbox, inspector subscribed": per_call(
            asgi_caller(app, small, headers, setup=sandbox.feed.subscribe)
        ),
        "ASGI app, non-stream: bare": per_call(asgi_caller(bare, small, headers)),
        "ASGI app, stream: sandbox": per_call(asgi_caller(app, stream, headers)),
        "ASGI app, stream: bare": per_call(asgi_caller(bare, stream, headers)),
    }
