"""The admin surface (``/_sandbox/...``) is never reachable from another web origin.

Over real HTTP: no CORS on admin routes whatever the CORS settings, known Host names only
(DNS rebinding), an optional admin token, and absolute URLs (batch ``results_url``) never
built from a foreign Host header. One server with every guard configured, plus the shared
default server.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from conftest import HEADERS, Server, start_server

MODEL = "claude-sonnet-4-6"
TOKEN = "admin-token-for-tests-0123456789"
PUBLIC = "https://sandbox.ci.example:8443"
EVIL = "http://evil.example"
BROWSER = {"anthropic-dangerous-direct-browser-access": "true"}
BATCH = {
    "requests": [
        {
            "custom_id": "one",
            "params": {
                "model": MODEL,
                "max_tokens": 8,
                "messages": [{"role": "user", "content": "hi"}],
            },
        }
    ]
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(
        tmp_path_factory.mktemp("guarded"),
        SANDBOX_CORS_ALLOW_ANY_ORIGIN="1",
        SANDBOX_ADMIN_TOKEN=TOKEN,
        SANDBOX_ADMIN_HOSTS="sandbox,mock.internal",
        SANDBOX_PUBLIC_URL=PUBLIC + "/",
    )
    yield server
    server.stop()


def _cors_headers(response: httpx.Response) -> list[str]:
    return [k for k in response.headers if k.startswith("access-control-")]


@pytest.mark.parametrize("path", ["/_sandbox/requests", "/session/s1/_sandbox/reset"])
def test_admin_routes_never_grant_cors_even_to_any_origin(guarded, path) -> None:
    preflight = httpx.options(
        guarded.base_url + path,
        headers={
            "origin": EVIL,
            "access-control-request-method": "POST",
            "access-control-request-headers": "anthropic-dangerous-direct-browser-access",
            "access-control-request-private-network": "true",
        },
    )
    assert preflight.status_code == 403
    assert _cors_headers(preflight) == []
    read = httpx.get(
        guarded.base_url + "/_sandbox/requests",
        headers={"origin": EVIL, "x-sandbox-admin-token": TOKEN, **BROWSER},
    )
    assert read.status_code == 403 and _cors_headers(read) == []
    assert read.json()["error"]["type"] == "permission_error"
    assert "data" not in read.json()
    # A blind cross-origin form post (no preflight) cannot reset either.
    blind = httpx.post(
        guarded.base_url + "/_sandbox/reset",
        headers={"origin": EVIL, "content-type": "text/plain", "x-sandbox-admin-token": TOKEN},
    )
    assert blind.status_code == 403
    # The API itself still serves any origin, as configured.
    api = httpx.options(
        guarded.base_url + "/v1/messages",
        headers={"origin": EVIL, "access-control-request-method": "POST"},
    )
    assert api.status_code == 204 and api.headers["access-control-allow-origin"] == "*"


def test_a_page_of_the_servers_own_origin_may_use_it(guarded) -> None:
    with guarded.http() as http:
        response = http.get(
            "/_sandbox/rules",
            headers={"origin": guarded.base_url, "x-sandbox-admin-token": TOKEN},
        )
    assert response.status_code == 200 and _cors_headers(response) == []


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("[::1]", True),
        ("app.localhost", True),
        ("sandbox", True),  # SANDBOX_ADMIN_HOSTS
        ("mock.internal", True),
        ("evil.example", False),  # a DNS-rebinding page's own name
        ("127.0.0.1.evil.example", False),
        ("sandbox.evil.example", False),
    ],
)
def test_admin_routes_answer_loopback_and_configured_host_names_only(
    guarded, host, allowed
) -> None:
    port = guarded.base_url.rsplit(":", 1)[1]
    response = httpx.get(
        guarded.base_url + "/_sandbox/config",
        headers={"host": f"{host}:{port}", "x-sandbox-admin-token": TOKEN},
    )
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["type"] == "permission_error" and "SANDBOX_ADMIN_HOSTS" in error["message"]


def test_with_a_token_every_admin_route_needs_it(guarded) -> None:
    with guarded.http() as http:
        for method, path in [
            ("GET", "/_sandbox/requests"),
            ("DELETE", "/_sandbox/requests"),
            ("GET", "/_sandbox/rules"),
            ("POST", "/_sandbox/reset"),
            ("GET", "/_sandbox/sessions"),
            ("GET", "/_sandbox/config"),
            ("GET", "/session/s1/_sandbox/requests"),
            ("GET", "/_sandbox/nothing-here"),
        ]:
            for headers in ({}, {"x-sandbox-admin-token": "wrong"}, {"authorization": "Bearer x"}):
                refused = http.request(method, path, headers=headers)
                assert refused.status_code == 401, (method, path, headers)
                assert refused.json()["error"]["type"] == "authentication_error"
        assert http.get("/_sandbox/requests", headers={"x-sandbox-admin-token": TOKEN}).is_success
        bearer = http.get("/_sandbox/config", headers={"authorization": f"Bearer {TOKEN}"})
        assert bearer.is_success
        assert TOKEN not in bearer.text  # the effective settings mask it
        # The API itself asks for no admin token.
        api = http.post(
            "/v1/messages",
            headers=HEADERS,
            json={"model": MODEL, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]},
        )
        assert api.status_code == 200


def test_results_url_uses_the_configured_public_url_with_the_session_prefix(guarded) -> None:
    with guarded.http() as http:
        created = http.post("/session/ci-7/v1/messages/batches", headers=HEADERS, json=BATCH)
        batch = http.get(
            f"/session/ci-7/v1/messages/batches/{created.json()['id']}", headers=HEADERS
        )
    assert batch.json()["results_url"] == (
        f"{PUBLIC}/session/ci-7/v1/messages/batches/{batch.json()['id']}/results"
    )


def test_results_url_is_never_built_from_a_foreign_host(server) -> None:
    port = server.base_url.rsplit(":", 1)[1]
    with server.http() as http:
        for host, expected in [
            (f"evil.example:{port}", server.base_url),  # the address the connection reached
            (f"localhost:{port}", f"http://localhost:{port}"),
        ]:
            created = http.post(
                "/v1/messages/batches", headers={**HEADERS, "host": host}, json=BATCH
            )
            batch_id = created.json()["id"]
            batch = http.get(f"/v1/messages/batches/{batch_id}", headers={**HEADERS, "host": host})
            url = batch.json()["results_url"]
            assert url == f"{expected}/v1/messages/batches/{batch_id}/results", host
