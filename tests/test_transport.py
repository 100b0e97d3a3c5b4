"""What arrives broken at the HTTP level still leaves in Anthropic's envelope.

Malformed or non-JSON bodies, oversized bodies (refused before they are read), unknown paths
and wrong methods: never a FastAPI ``{"detail": ...}``, never a 422, never a 500.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import anthropic
import httpx
import pytest
from conftest import HEADERS, Server

TOO_LARGE = "Request exceeds the maximum allowed number of bytes."
LIMIT = 32 * 1024 * 1024
VALID = b'{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}'


def _assert_envelope(response: httpx.Response, status: int, error_type: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"type", "error", "request_id"}, body
    assert body["type"] == "error" and body["error"]["type"] == error_type
    assert body["request_id"] == response.headers["request-id"]
    assert body["error"]["message"]
    return body["error"]["message"]


@pytest.mark.parametrize(
    "content",
    [
        b'{"model": "claude-haiku-4-5", "max_tokens": 8, "messages": [',
        b"{'model': 'claude-haiku-4-5'}",
        b"[]",
        b'"a string"',
        b"1",
        b"null",
        b'{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"\xff\xfe"}]}',
        b"",
    ],
    ids=[
        "truncated",
        "single_quotes",
        "array",
        "string",
        "number",
        "null",
        "invalid_utf8",
        "empty",
    ],
)
def test_unparseable_body_is_400(http: httpx.Client, content: bytes) -> None:
    response = http.post("/v1/messages", headers=HEADERS, content=content)
    _assert_envelope(response, 400, "invalid_request_error")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_non_json_content_type_is_400(http: httpx.Client, content_type: str) -> None:
    headers = {**HEADERS, "content-type": content_type}
    message = _assert_envelope(
        http.post("/v1/messages", headers=headers, content=VALID), 400, "invalid_request_error"
    )
    assert content_type in message


def test_json_with_charset_is_accepted(http: httpx.Client) -> None:
    headers = {**HEADERS, "content-type": "application/json; charset=utf-8"}
    assert http.post("/v1/messages", headers=headers, content=VALID).status_code == 200


def test_declared_length_over_32_mb_is_refused_before_the_body_is_sent(server: Server) -> None:
    url = urlsplit(server.base_url)
    head = (
        f"POST /v1/messages HTTP/1.1\r\nHost: {url.netloc}\r\nx-api-key: k\r\n"
        f"anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
        f"content-length: {LIMIT + 1}\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode() + b"{")  # one byte of 32 MB: the answer must not wait
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    status_line, _, rest = reply.partition(b"\r\n")
    assert b" 413 " in status_line
    assert b'"type":"request_too_large"' in rest
    assert TOO_LARGE.encode() in rest


def test_chunked_body_over_32_mb_is_413(http: httpx.Client) -> None:
    def body() -> Iterator[bytes]:
        chunk = b" " * (1024 * 1024)
        for _ in range(LIMIT // len(chunk) + 2):
            yield chunk

    response = http.post("/v1/messages", headers=HEADERS, content=body())
    assert _assert_envelope(response, 413, "request_too_large") == TOO_LARGE


def test_sdk_raises_request_too_large(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.RequestTooLargeError) as info:
        client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=8,
            messages=[{"role": "user", "content": "a" * (LIMIT + 1)}],
        )
    assert info.value.status_code == 413
    assert info.value.response.json()["error"]["message"] == TOO_LARGE


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/nothing-here"), ("POST", "/v2/messages"), ("POST", "/v1/messages/nope")],
)
def test_unknown_path_is_404_not_found(http: httpx.Client, method: str, path: str) -> None:
    response = http.request(method, path, headers=HEADERS, content=VALID)
    assert _assert_envelope(response, 404, "not_found_error") == "Not Found"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_wrong_method_keeps_the_envelope(http: httpx.Client, method: str) -> None:
    response = http.request(method, "/v1/messages", headers=HEADERS)
    assert response.status_code == 405
    _assert_envelope(response, 405, "invalid_request_error")
    assert "detail" not in response.text
