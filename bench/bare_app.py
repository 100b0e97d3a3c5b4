"""The baseline for bench/run.py: a bare Starlette app that answers ``POST /v1/messages``
with constant bytes of the same size as the sandbox's answers.

``BENCH_BARE_JSON`` names a file holding the non-stream body; ``BENCH_BARE_SSE`` a file
holding a whole SSE stream. A request whose body asks for ``"stream":true`` gets the stream
written one chunk per event (as a naive streaming server would), anything else the JSON
body. ``BENCH_BARE_BY_LENGTH`` optionally names a JSON object ``{request length: file}``:
a request of that many bytes gets that file's bytes as its JSON answer (the large
scenarios' own answers). It reads the request body and parses its JSON as a plain Starlette
handler does (``await request.json()``), as any real handler must, and does nothing else:
the baseline issue #16 defines ("a bare Starlette app that only parses the JSON").
``BENCH_BARE_PARSE=0`` leaves the parsing out (the body is read, never looked at): a
stricter reference, reported beside it.

``BENCH_BARE_HEADERS`` optionally names a JSON object of extra response headers.

Run: ``BENCH_BARE_JSON=a.json BENCH_BARE_SSE=b.sse python -m uvicorn --app-dir bench
--factory bare_app:app_factory``.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route


def create_app(
    json_body: bytes,
    sse_body: bytes,
    headers: dict[str, str] | None = None,
    by_length: dict[int, bytes] | None = None,
    parse: bool = True,
) -> Starlette:
    """``headers``: extra response headers (the sandbox's own set, for a diagnostic run)."""
    events = [e + b"\n\n" for e in sse_body.split(b"\n\n") if e]
    answers = by_length or {}

    async def stream() -> AsyncIterator[bytes]:
        for event in events:
            yield event

    async def messages(request: Request) -> Response:
        body = await request.body()
        if parse:
            await request.json()  # the stdlib's json.loads, once per request (Starlette caches it)
        if b'"stream":true' in body or b'"stream": true' in body:
            return StreamingResponse(
                stream(), media_type="text/event-stream; charset=utf-8", headers=headers
            )
        answer = answers.get(len(body), json_body)
        return Response(answer, media_type="application/json", headers=headers)

    return Starlette(routes=[Route("/v1/messages", messages, methods=["POST"])])


def _from_env() -> Starlette:
    json_path = os.environ.get("BENCH_BARE_JSON")
    sse_path = os.environ.get("BENCH_BARE_SSE")
    json_body = Path(json_path).read_bytes() if json_path else b"{}"
    sse_body = Path(sse_path).read_bytes() if sse_path else b""
    headers_path = os.environ.get("BENCH_BARE_HEADERS")
    headers = json.loads(Path(headers_path).read_text()) if headers_path else None
    lengths_path = os.environ.get("BENCH_BARE_BY_LENGTH")
    lengths = json.loads(Path(lengths_path).read_text()) if lengths_path else {}
    by_length = {int(n): Path(f).read_bytes() for n, f in lengths.items()}
    parse = os.environ.get("BENCH_BARE_PARSE", "1") != "0"
    return create_app(json_body, sse_body, headers, by_length, parse)


def app_factory() -> Starlette:
    """``uvicorn --factory bench.bare_app:app_factory`` entry point."""
    return _from_env()
