"""What arrives broken at the HTTP level still leaves in Anthropic's envelope.

Malformed or non-JSON bodies, oversized bodies (refused before they are read), unknown paths
and wrong methods: never a FastAPI ``{"detail": ...}``, never a 422, never a 500. Below
the routes, malformed HTTP, oversized headers and clients too slow to send their request get
the envelope from the server layer (``web.protocol``), and a huge generation never stalls
the server.

Over a real connection to the session server: what is sent and refused here is bytes on a
socket (a declared length, a chunked body, a body still arriving when the answer leaves).
"""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import anthropic
import httpx
import pytest
from conftest import HEADERS, Server, start_server


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.http() as c:
        yield c


@pytest.fixture
def client(server: Server) -> Iterator[anthropic.Anthropic]:
    with server.client() as c:
        yield c


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
    [
        ("GET", "/v1/nothing-here"),
        ("POST", "/v2/messages"),
        ("POST", "/v1/messages/nope"),
        ("POST", "/v1/messages/"),  # a trailing slash is another path: no 307 redirect
        ("GET", "/v1/files/"),
    ],
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


# -- below the routes: the server layer -----------------------------------------------------
def _exchange(server: Server, *parts: bytes, pause: float = 0.0) -> tuple[bytes, bytes]:
    """Send ``parts`` on a raw connection (``pause`` seconds apart); (status line, rest)."""
    url = urlsplit(server.base_url)
    reply = b""
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        try:
            for i, part in enumerate(parts):
                if i:
                    time.sleep(pause)
                sock.sendall(part)
        except OSError:
            pass  # the server may answer and close before everything is sent
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            reply += chunk
    status_line, _, rest = reply.partition(b"\r\n")
    return status_line, rest


def _envelope_of(rest: bytes, error_type: str) -> dict:
    head, _, body = rest.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head and b"request-id: req_" in head
    envelope = json.loads(body)
    assert envelope["type"] == "error" and envelope["error"]["type"] == error_type
    return envelope


HEAD = (
    b"POST /v1/messages HTTP/1.1\r\nHost: sandbox\r\nx-api-key: k\r\n"
    b"anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
)


@pytest.mark.parametrize(
    "framing",
    [
        b"content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
        b"content-length: -5\r\n\r\n",
        b"content-length: five\r\n\r\n",
    ],
    ids=["length_and_chunked", "negative_length", "length_not_a_number"],
)
def test_malformed_http_is_400_in_the_envelope(server: Server, framing: bytes) -> None:
    status_line, rest = _exchange(server, HEAD + framing)
    assert b" 400 " in status_line
    assert _envelope_of(rest, "invalid_request_error")["error"]["message"]


def test_headers_over_64_kb_are_431_in_the_envelope(server: Server) -> None:
    huge = b"x-note: " + b"a" * (8 * 1024 * 1024) + b"\r\ncontent-length: 2\r\n\r\n{}"
    status_line, rest = _exchange(server, HEAD + huge)
    assert b" 431 " in status_line
    assert "65536 bytes" in _envelope_of(rest, "request_too_large")["error"]["message"]


@pytest.fixture(scope="module")
def impatient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that waits one second for a request to arrive whole."""
    srv = start_server(tmp_path_factory.mktemp("impatient"), SANDBOX_READ_TIMEOUT="1")
    yield srv
    srv.stop()


@pytest.mark.parametrize(
    "parts",
    [
        [HEAD[:20], HEAD[20:]],  # headers a line at a time, too slowly
        [HEAD + b"content-length: %d\r\n\r\n" % len(VALID), VALID[:10], VALID[10:]],  # body
        [],  # connects and sends nothing
    ],
    ids=["slow_headers", "slow_body", "silent"],
)
def test_a_client_too_slow_to_send_its_request_gets_408(
    impatient: Server, parts: list[bytes]
) -> None:
    started = time.monotonic()
    status_line, rest = _exchange(impatient, *parts, pause=1.5)
    assert b" 408 " in status_line
    assert "SANDBOX_READ_TIMEOUT" in _envelope_of(rest, "timeout_error")["error"]["message"]
    assert time.monotonic() - started < 15  # answered, not held open


def test_a_slow_body_is_journaled_as_408(impatient: Server) -> None:
    session = f"slow-{time.monotonic_ns()}"
    head = HEAD + b"x-sandbox-session: %s\r\ncontent-length: %d\r\n\r\n" % (
        session.encode(),
        len(VALID),
    )
    _exchange(impatient, head, VALID[:5], pause=1.5)
    with impatient.http() as http:
        [entry] = http.get("/_sandbox/requests", params={"session": session}).json()["data"]
    assert entry["status"] == 408 and entry["error"]["type"] == "timeout_error"


def test_a_quick_request_on_a_kept_alive_connection_is_not_timed_out(impatient: Server) -> None:
    with impatient.http() as http:
        for _ in range(3):
            assert http.post("/v1/messages", headers=HEADERS, content=VALID).status_code == 200
            time.sleep(0.6)  # idle between requests is keep-alive's business, not a slow read


def test_a_later_request_on_a_connection_has_its_own_read_timeout(impatient: Server) -> None:
    """The deadline runs from each request's start, not from the connection's: a slow
    request begun 0.7 s after the connection opened is answered 408 a second after it began."""
    url = urlsplit(impatient.base_url)
    quick = HEAD + b"content-length: %d\r\n\r\n" % len(VALID) + VALID
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(quick)
        reader = sock.makefile("rb")
        assert b" 200 " in reader.readline()
        time.sleep(0.7)
        began = time.monotonic()
        sock.sendall(HEAD + b"content-length: %d\r\n\r\n" % len(VALID) + VALID[:5])
        answer = b""
        while b" 408 " not in answer:
            line = reader.readline()
            assert line, "the connection closed without a 408"
            answer += line
        waited = time.monotonic() - began
    assert 0.9 <= waited < 10, waited


HUGE_GENERATIONS = [
    {"type": "object", "properties": {"a": {"type": "array", "minItems": 2_000_000}}},
    {"type": "object", "properties": {"a": {"type": "string", "pattern": "^a{10000000}$"}}},
    {"type": "object", "properties": {"a": {"type": "string", "minLength": 300_000_000}}},
]


def test_health_answers_while_huge_generations_run(server: Server) -> None:
    """Liveness, not speed: /health is answered within a generous bound while requests whose
    schemas ask for millions of items run (they once held the event loop for 5 to 41 s)."""

    def generate(schema: dict) -> int:
        body = {
            "model": "claude-haiku-4-5",
            "max_tokens": 1024,
            "messages": [{"role": "user", "content": "go"}],
            "tools": [{"name": "t", "input_schema": {**schema, "required": ["a"]}}],
            "tool_choice": {"type": "tool", "name": "t"},
        }
        with server.http() as http:
            return http.post("/v1/messages", headers=HEADERS, json=body).status_code

    latencies: list[float] = []
    with ThreadPoolExecutor(len(HUGE_GENERATIONS) * 2) as pool:
        answers = [pool.submit(generate, s) for s in HUGE_GENERATIONS * 2]
        with server.http() as http:
            # Probes until every generation has answered, and at least once: on a loaded
            # machine this thread may only get to run after they all have.
            while True:
                started = time.monotonic()
                assert http.get("/health").status_code == 200
                latencies.append(time.monotonic() - started)
                if all(a.done() for a in answers):
                    break
        assert [a.result() for a in answers] == [200] * len(answers)
    assert max(latencies) < 2.0, latencies


def test_sigterm_lets_a_stream_finish_then_exits_0(make_server, tmp_path) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "slow.yaml").write_text(
        "rules:\n  - id: slow\n    match: {last_user_text: slow}\n"
        "    reply: {text: one two three four five}\n    stream: {tokens_per_second: 10}\n"
    )
    srv = make_server(fixtures)
    body = {"model": "claude-haiku-4-5", "max_tokens": 64, "stream": True,
            "messages": [{"role": "user", "content": "slow"}]}  # fmt: skip
    with srv.http() as http, http.stream("POST", "/v1/messages", headers=HEADERS, json=body) as r:
        chunks = r.iter_text()
        first = next(chunks)
        srv.process.send_signal(signal.SIGTERM)
        rest = "".join(chunks)
    assert "message_start" in first and rest.rstrip().endswith('data: {"type":"message_stop"}')
    assert srv.process.wait(20) == 0
