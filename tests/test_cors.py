"""CORS: browsers are served only with ``anthropic-dangerous-direct-browser-access: true``.

Two layers, both over real HTTP:
* ``CorsMiddleware`` around a tiny app (JSON, SSE, a request-id stamping outer middleware),
  served by uvicorn in a thread: every branch of the middleware;
* the real sandbox (``server`` / ``shared_server`` from conftest): the wiring in create_app.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from conftest import Server
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from messages_sandbox.web.cors import BROWSER_ACCESS_HEADER, MISSING_HEADER_MESSAGE, CorsMiddleware

ORIGIN = "http://127.0.0.1:5173"
OPT_IN = {BROWSER_ACCESS_HEADER: "true"}
HEADERS = {
    "x-api-key": "sk-ant-test-key",
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
}


# --------------------------------------------------------------------------- tiny app


async def _json(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True, "echo": request.headers.get("x-echo")})


async def _sse(request: Request) -> StreamingResponse:
    async def events():
        for i in range(3):
            yield f"event: tick\ndata: {i}\n\n".encode()
            await asyncio.sleep(0.05)

    return StreamingResponse(events(), media_type="text/event-stream")


def _tiny_app() -> Starlette:
    return Starlette(
        routes=[Route("/v1/json", _json, methods=["GET", "POST"]), Route("/v1/sse", _sse)]
    )


class _StampRequestId:
    """Stands in for the app's Front middleware: assigns and stamps a request id."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        scope.setdefault("state", {})["request_id"] = "req_outer"

        async def stamped(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (b"request-id", b"req_outer")]
            await send(message)

        await self.app(scope, receive, stamped)


class _ThreadServer:
    def __init__(self, app) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base_url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> _ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def strict_url() -> Iterator[str]:
    with _ThreadServer(CorsMiddleware(_tiny_app(), allow_any_origin=False)) as srv:
        yield srv.base_url


@pytest.fixture(scope="module")
def any_origin_url() -> Iterator[str]:
    with _ThreadServer(CorsMiddleware(_tiny_app(), allow_any_origin=True)) as srv:
        yield srv.base_url


@pytest.fixture(scope="module")
def inner_url() -> Iterator[str]:
    """CORS inside a middleware that already assigned the request id."""
    with _ThreadServer(_StampRequestId(CorsMiddleware(_tiny_app()))) as srv:
        yield srv.base_url


def _preflight(base_url: str, path: str, requested: str, **extra: str) -> httpx.Response:
    return httpx.options(
        base_url + path,
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": requested,
            **extra,
        },
    )


def _assert_rejected(r: httpx.Response) -> None:
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["type"] == "error"
    assert body["error"] == {"type": "authentication_error", "message": MISSING_HEADER_MESSAGE}
    assert body["request_id"].startswith("req_")
    assert r.headers["request-id"] == body["request_id"]
    assert r.headers["x-should-retry"] == "false"
    # Like the real API: no CORS headers, so a browser cannot read this answer.
    assert "access-control-allow-origin" not in r.headers


# ------------------------------------------------------------------ middleware branches


def test_requests_without_origin_are_untouched(strict_url: str) -> None:
    r = httpx.post(strict_url + "/v1/json", headers={"x-echo": "sdk"})
    assert r.status_code == 200
    assert r.json() == {"ok": True, "echo": "sdk"}
    assert not any(k.startswith("access-control-") for k in r.headers)
    # OPTIONS without Origin is not a preflight: the app answers it (405 here).
    assert httpx.options(strict_url + "/v1/json").status_code == 405


def test_browser_request_with_opt_in_gets_cors_headers(strict_url: str) -> None:
    r = httpx.post(strict_url + "/v1/json", headers={"origin": ORIGIN, **OPT_IN, "x-echo": "b"})
    assert r.status_code == 200
    assert r.json() == {"ok": True, "echo": "b"}
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-expose-headers"] == "*"


def test_opt_in_value_is_case_insensitive(strict_url: str) -> None:
    r = httpx.get(
        strict_url + "/v1/json", headers={"origin": ORIGIN, BROWSER_ACCESS_HEADER: "TRUE"}
    )
    assert r.status_code == 200


def test_streamed_response_gets_cors_headers_and_streams(strict_url: str) -> None:
    headers = {"origin": ORIGIN, **OPT_IN}
    with httpx.stream("GET", strict_url + "/v1/sse", headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["access-control-allow-origin"] == "*"
        chunks = list(r.iter_text())
    text = "".join(chunks)
    assert text.count("event: tick") == 3


@pytest.mark.parametrize("value", [None, "false", "", "yes"])
def test_browser_request_without_opt_in_is_refused(strict_url: str, value: str | None) -> None:
    headers = {"origin": ORIGIN}
    if value is not None:
        headers[BROWSER_ACCESS_HEADER] = value
    _assert_rejected(httpx.post(strict_url + "/v1/json", headers=headers))


def test_refused_stream_request_is_an_error_envelope(strict_url: str) -> None:
    _assert_rejected(httpx.get(strict_url + "/v1/sse", headers={"origin": ORIGIN}))


def test_preflight_with_opt_in_header_requested(strict_url: str) -> None:
    requested = "anthropic-version,content-type,x-api-key,anthropic-dangerous-direct-browser-access"
    r = _preflight(strict_url, "/v1/json", requested)
    assert r.status_code == 204
    assert r.content == b""
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-allow-headers"] == requested
    methods = {m.strip() for m in r.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "DELETE"} <= methods
    assert int(r.headers["access-control-max-age"]) > 0
    assert r.headers["request-id"].startswith("req_")
    assert "access-control-allow-private-network" not in r.headers


def test_preflight_header_names_are_case_insensitive(strict_url: str) -> None:
    r = _preflight(strict_url, "/v1/sse", "Content-Type, Anthropic-Dangerous-Direct-Browser-Access")
    assert r.status_code == 204


def test_preflight_grants_private_network_access_when_asked(strict_url: str) -> None:
    r = _preflight(
        strict_url,
        "/v1/json",
        "x-api-key,anthropic-dangerous-direct-browser-access",
        **{"access-control-request-private-network": "true"},
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-private-network"] == "true"


def test_preflight_without_opt_in_header_is_refused(strict_url: str) -> None:
    _assert_rejected(_preflight(strict_url, "/v1/json", "content-type,x-api-key"))


def test_allow_any_origin_serves_browsers_without_the_header(any_origin_url: str) -> None:
    r = httpx.post(any_origin_url + "/v1/json", headers={"origin": "https://example.test"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    p = _preflight(any_origin_url, "/v1/json", "content-type,x-api-key")
    assert p.status_code == 204
    assert p.headers["access-control-allow-headers"] == "content-type,x-api-key"
    plain = httpx.post(any_origin_url + "/v1/json")
    assert "access-control-allow-origin" not in plain.headers


def test_inside_a_request_id_middleware_reuses_its_id(inner_url: str) -> None:
    r = httpx.post(inner_url + "/v1/json", headers={"origin": ORIGIN})
    assert r.status_code == 401
    assert r.json()["request_id"] == "req_outer"
    assert r.headers.get_list("request-id") == ["req_outer"]


# ------------------------------------------------------------------- the real sandbox

BODY = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": "Hello from a browser"}],
}


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.http() as c:
        yield c


def test_sandbox_serves_opted_in_browsers(http: httpx.Client) -> None:
    r = http.post("/v1/messages", json=BODY, headers={**HEADERS, "origin": ORIGIN, **OPT_IN})
    assert r.status_code == 200, r.text
    assert r.json()["type"] == "message"
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["access-control-expose-headers"] == "*"
    assert r.headers["request-id"].startswith("req_")


def test_sandbox_streams_to_opted_in_browsers(http: httpx.Client) -> None:
    headers = {**HEADERS, "origin": ORIGIN, **OPT_IN}
    with http.stream("POST", "/v1/messages", json={**BODY, "stream": True}, headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "*"
        text = "".join(r.iter_text())
    assert "event: message_stop" in text


def test_sandbox_refuses_browsers_without_opt_in(http: httpx.Client) -> None:
    r = http.post("/v1/messages", json=BODY, headers={**HEADERS, "origin": ORIGIN})
    _assert_rejected(r)


def test_sandbox_answers_preflight(server) -> None:
    requested = "anthropic-version,content-type,x-api-key,anthropic-dangerous-direct-browser-access"
    for path in ("/v1/messages", "/v1/messages/count_tokens", "/v1/models"):
        r = _preflight(server.base_url, path, requested)
        assert r.status_code == 204, (path, r.text)
        assert r.headers["access-control-allow-headers"] == requested


def test_sandbox_sdk_requests_have_no_cors_headers(http: httpx.Client) -> None:
    r = http.post("/v1/messages", json=BODY, headers=HEADERS)
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers


def test_sandbox_allow_any_origin_setting(shared_server) -> None:
    srv = shared_server(SANDBOX_CORS_ALLOW_ANY_ORIGIN="true")
    r = httpx.post(
        srv.base_url + "/v1/messages",
        json=BODY,
        headers={**HEADERS, "origin": "https://anywhere.test"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    assert json.loads(r.text)["type"] == "message"
