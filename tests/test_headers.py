"""Request and response headers: auth schemes, key lists, versions, betas, common headers."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import httpx
import pytest
from conftest import API_KEY, HEADERS, InProcess, start_sandbox

BODY = {
    "model": "claude-haiku-4-5",
    "max_tokens": 32,
    "messages": [{"role": "user", "content": "Hi"}],
}
UNKNOWN_BETA = (
    "Unexpected value(s) `not-a-real-beta-2099-01-01` for the `anthropic-beta` header. "
    "Please consult our documentation at platform.claude.com/docs or try again without the header."
)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    srv = start_sandbox(tmp_path_factory.mktemp("keyed"), SANDBOX_API_KEYS="good-1, good-2")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    srv = start_sandbox(tmp_path_factory.mktemp("strict"), SANDBOX_STRICT="1")
    yield srv
    srv.stop()


def _headers(**changes: str | None) -> dict[str, str]:
    headers = {**HEADERS, **changes}
    return {k: v for k, v in headers.items() if v is not None}


def _error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"]["type"], body["error"]["message"]


# -- auth -------------------------------------------------------------------------------------
def test_x_api_key_and_bearer_are_both_accepted(http: httpx.Client) -> None:
    by_key = http.post("/v1/messages", headers=HEADERS, json=BODY)
    bearer = _headers(**{"x-api-key": None, "authorization": f"Bearer {API_KEY}"})
    by_bearer = http.post("/v1/messages", headers=bearer, json=BODY)
    assert (by_key.status_code, by_bearer.status_code) == (200, 200)


@pytest.mark.parametrize(
    "auth",
    [{"x-api-key": None}, {"x-api-key": ""}, {"x-api-key": None, "authorization": "Basic abc"}],
    ids=["absent", "empty", "not_bearer"],
)
def test_missing_credentials_are_401(http: httpx.Client, auth: dict[str, str | None]) -> None:
    response = http.post("/v1/messages", headers=_headers(**auth), json=BODY)
    assert _error(response) == (401, "authentication_error", "x-api-key header is required")
    assert response.headers["x-should-retry"] == "false"


def test_configured_keys_refuse_others(keyed: InProcess) -> None:
    with pytest.raises(anthropic.AuthenticationError) as info:
        keyed.client().messages.create(**BODY)
    assert info.value.response.json()["error"]["message"] == "invalid x-api-key"


def test_configured_keys_accept_theirs_in_either_header(keyed: InProcess) -> None:
    client = keyed.client(api_key="good-2")
    assert client.messages.create(**BODY).type == "message"
    with keyed.http() as http:
        by_key = http.post("/v1/messages", headers=_headers(**{"x-api-key": "good-1"}), json=BODY)
        both = _headers(**{"x-api-key": "stale", "authorization": "Bearer good-1"})
        by_either = http.post("/v1/messages", headers=both, json=BODY)
    assert (by_key.status_code, by_either.status_code) == (200, 200)


# -- version ----------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["2023-06-01", "2023-01-01", "2026-10-21"])
def test_every_known_version_is_accepted(http: httpx.Client, version: str) -> None:
    response = http.post(
        "/v1/messages", headers=_headers(**{"anthropic-version": version}), json=BODY
    )
    assert response.status_code == 200, response.text


def test_missing_version_is_400(http: httpx.Client) -> None:
    response = http.post("/v1/messages", headers=_headers(**{"anthropic-version": None}), json=BODY)
    assert _error(response) == (
        400,
        "invalid_request_error",
        "anthropic-version: header is required",
    )


# -- betas ------------------------------------------------------------------------------------
def test_unknown_betas_pass_outside_strict_mode(http: httpx.Client) -> None:
    betas = "claude-code-20250219, not-a-real-beta-2099-01-01 ,oauth-2025-04-20"
    response = http.post(
        "/v1/messages?beta=true", headers=_headers(**{"anthropic-beta": betas}), json=BODY
    )
    assert response.status_code == 200, response.text


def test_strict_mode_refuses_unknown_betas_with_the_real_text(strict: InProcess) -> None:
    client = strict.client()
    with pytest.raises(anthropic.BadRequestError) as info:
        client.beta.messages.create(
            **BODY, betas=["context-1m-2025-08-07", "not-a-real-beta-2099-01-01"]
        )
    assert info.value.response.json()["error"]["message"] == UNKNOWN_BETA


def test_strict_mode_takes_known_betas(strict: InProcess) -> None:
    with strict.http() as http:
        headers = _headers(**{"anthropic-beta": "context-1m-2025-08-07,files-api-2025-04-14"})
        response = http.post("/v1/messages", headers=headers, json=BODY)
    # Strict mode may still refuse the unmatched request itself, never the header.
    assert "anthropic-beta" not in response.text


# -- response headers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("POST", "/v1/messages", HEADERS, 200),
        ("POST", "/v1/messages", {**HEADERS, "x-api-key": ""}, 401),
        ("POST", "/v1/messages", {**HEADERS, "anthropic-version": "1999-01-01"}, 400),
        ("GET", "/v1/no-such-thing", HEADERS, 404),
    ],
    ids=["ok", "401", "400", "404"],
)
def test_every_response_carries_the_common_headers(
    http: httpx.Client, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    response = http.request(method, path, headers=headers, json=BODY)
    assert response.status_code == status
    assert response.headers["request-id"].startswith("req_")
    assert response.headers["anthropic-organization-id"]
    assert any(name.startswith("anthropic-ratelimit-") for name in response.headers)
    if status >= 400:
        assert response.headers["x-should-retry"] == "false"
        assert response.json()["request_id"] == response.headers["request-id"]
    else:
        assert "x-should-retry" not in response.headers


def test_sdk_exposes_the_request_id(client: anthropic.Anthropic) -> None:
    message = client.messages.create(**BODY)
    assert message._request_id and message._request_id.startswith("req_")
