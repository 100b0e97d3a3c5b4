"""The SSE stream byte by byte: the grammar of messages-api.md section 5, non-ASCII text in
every chunking, and the official TypeScript SDK reading the same stream. Read over a real
connection (the session server): these are the bytes a client's parser gets."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anthropic
import httpx
import pytest
from conftest import HEADERS, Server

TS_DIR = Path(__file__).parent / "ts"
MODEL = "claude-sonnet-4-6"
PROMPT = "Grammar check: 你好世界 👩‍👩‍👧‍👦 🇯🇵 café 👍🏽 and more words to stream"
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
}


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.http() as c:
        yield c


def body(**extra: Any) -> dict[str, Any]:
    return {
        "model": MODEL,
        "max_tokens": 2048,
        "messages": [{"role": "user", "content": PROMPT}],
        **extra,
    }


def parse_frames(raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    """Strict framing: every frame is exactly `event: <name>` + `data: <json>` + blank line."""
    text = raw.decode("utf-8")
    assert text.endswith("\n\n") and "[DONE]" not in text
    frames = []
    for frame in text[:-2].split("\n\n"):
        event_line, data_line = frame.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        name, data = event_line[len("event: ") :], json.loads(data_line[len("data: ") :])
        assert data["type"] == name
        frames.append((name, data))
    return frames


def post(http: httpx.Client, request: dict[str, Any]) -> httpx.Response:
    response = http.post("/v1/messages", json=request, headers=HEADERS)
    assert response.status_code == 200, response.text
    return response


def streamed_and_plain(http: httpx.Client, request: dict[str, Any]) -> tuple[list, dict]:
    stream = post(http, {**request, "stream": True})
    assert stream.headers["content-type"].startswith("text/event-stream")
    # Chunked like the real API's streams (no length), though written in one go.
    assert "content-length" not in stream.headers
    assert stream.headers["transfer-encoding"] == "chunked"
    return parse_frames(stream.content), post(http, request).json()


def check_grammar(frames: list[tuple[str, dict[str, Any]]], plain: dict[str, Any]) -> None:
    names = [name for name, _ in frames]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    assert names.count("message_start") == 1 and names.count("message_stop") == 1
    assert names[1:3] == ["content_block_start", "ping"] and names.count("ping") == 1
    start = frames[0][1]["message"]
    assert start["content"] == [] and start["stop_reason"] is None
    assert start["stop_sequence"] is None and start["id"].startswith("msg_")
    assert start["usage"]["input_tokens"] == plain["usage"]["input_tokens"]
    assert start["usage"]["output_tokens"] <= 1

    blocks = [(n, d) for n, d in frames if n.startswith("content_block")]
    open_index = -1
    for name, data in blocks:
        if name == "content_block_start":
            assert data["index"] == open_index + 1
            open_index = data["index"]
        else:
            assert data["index"] == open_index
    assert open_index == len(plain["content"]) - 1
    for index, block in enumerate(plain["content"]):
        check_block(index, block, [d for _, d in blocks if d["index"] == index])

    delta = frames[-2][1]
    assert delta["delta"]["stop_reason"] == plain["stop_reason"]
    assert delta["delta"]["stop_sequence"] == plain["stop_sequence"]
    assert delta["usage"]["output_tokens"] == plain["usage"]["output_tokens"]
    assert delta["usage"]["input_tokens"] == plain["usage"]["input_tokens"]


def check_block(index: int, block: dict[str, Any], events: list[dict[str, Any]]) -> None:
    first, *deltas, last = events
    assert last == {"type": "content_block_stop", "index": index}
    opened = first["content_block"]
    kinds = [d["delta"]["type"] for d in deltas]
    if block["type"] == "text":
        assert opened == {"type": "text", "text": ""}
        assert set(kinds) == {"text_delta"} and len(kinds) > 1
        assert "".join(d["delta"]["text"] for d in deltas) == block["text"]
    elif block["type"] == "thinking":
        assert opened["thinking"] == ""
        assert kinds[-1] == "signature_delta" and kinds.count("signature_delta") == 1
        assert set(kinds[:-1]) <= {"thinking_delta"}
        assert "".join(d["delta"]["thinking"] for d in deltas[:-1]) == block["thinking"]
        assert deltas[-1]["delta"]["signature"] == block["signature"]
    elif block["type"] == "tool_use":
        assert opened == {**block, "input": {}}
        assert set(kinds) == {"input_json_delta"} and deltas[0]["delta"]["partial_json"] == ""
        assert len(deltas) > 2
        raw = "".join(d["delta"]["partial_json"] for d in deltas)
        assert json.loads(raw) == block["input"]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"tools": [WEATHER], "tool_choice": {"type": "tool", "name": "get_weather"}},
        {"tools": [WEATHER], "messages": [{"role": "user", "content": "weather in Oslo?"}]},
        {"max_tokens": 16000, "thinking": {"type": "enabled", "budget_tokens": 6000}},
    ],
    ids=["text", "forced_tool", "text_then_tool", "thinking"],
)
def test_raw_stream_follows_the_event_grammar(http: httpx.Client, extra: dict[str, Any]) -> None:
    frames, plain = streamed_and_plain(http, body(**extra))
    check_grammar(frames, plain)


def _raw_chunks(base_url: str, payload: dict[str, Any]) -> tuple[str, list[bytes]]:
    """POST over a bare socket; the response head and the chunks of its chunked body."""
    url = urlsplit(base_url)
    data = json.dumps(payload).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
    request = (
        f"POST /v1/messages HTTP/1.1\r\nhost: {url.netloc}\r\n{head}"
        f"content-length: {len(data)}\r\nconnection: close\r\n\r\n"
    ).encode() + data
    raw = b""
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            raw += chunk
    response_head, rest = raw.split(b"\r\n\r\n", 1)
    chunks = []
    while True:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line, 16)
        chunks.append(rest[:size])
        assert rest[size : size + 2] == b"\r\n"
        rest = rest[size + 2 :]
        if size == 0:
            assert rest == b""
            return response_head.decode().lower(), chunks


def test_unpaced_stream_is_chunked_yet_written_as_one_chunk(server: Any) -> None:
    head, chunks = _raw_chunks(server.base_url, body(stream=True))
    assert "transfer-encoding: chunked" in head and "content-length" not in head
    assert len(chunks) == 2 and chunks[-1] == b""  # all the events, then the end
    assert [name for name, _ in parse_frames(chunks[0])][-1] == "message_stop"


def test_sdk_reads_the_chunked_stream_without_a_length(server: Any) -> None:
    with (
        server.client() as client,
        client.messages.with_streaming_response.create(**body(), stream=True) as response,
    ):
        assert "content-length" not in response.headers
        assert response.headers["transfer-encoding"] == "chunked"
        assert [event.type for event in response.parse()][-1] == "message_stop"


def test_empty_content_stream_still_pings_and_closes(http: httpx.Client) -> None:
    frames, plain = streamed_and_plain(http, body(max_tokens=0))
    assert plain["content"] == []
    assert [n for n, _ in frames] == ["message_start", "ping", "message_delta", "message_stop"]
    assert frames[2][1]["delta"]["stop_reason"] == "max_tokens"


def stream_text(frames: list[tuple[str, dict[str, Any]]]) -> str:
    return "".join(
        d["delta"]["text"]
        for n, d in frames
        if n == "content_block_delta" and d["delta"]["type"] == "text_delta"
    )


def test_non_ascii_text_is_exact_with_one_character_chunks(make_server: Any) -> None:
    # Chunk size 16 is the session server's; tests/test_responses.py streams with 5.
    server = make_server(SANDBOX_STREAM_CHUNK_SIZE="1")
    with server.http() as http:
        frames, plain = streamed_and_plain(http, body())
    text = plain["content"][0]["text"]
    assert PROMPT in text and stream_text(frames) == text
    pieces = [d["delta"]["text"] for n, d in frames if n == "content_block_delta"]
    for grapheme in ("👩‍👩‍👧‍👦", "🇯🇵", "👍🏽"):
        assert any(grapheme in piece for piece in pieces)


def test_non_ascii_leaves_as_raw_utf8(http: httpx.Client) -> None:
    response = post(http, body())
    assert PROMPT.encode() in response.content


def test_typescript_sdk_streams_the_same_text(server: Any) -> None:
    node = shutil.which("node")
    if node is None or not (TS_DIR / "node_modules" / "@anthropic-ai" / "sdk").is_dir():
        pytest.skip("node or tests/ts/node_modules missing (npm ci --prefix tests/ts)")
    requests = [
        body(),
        body(tools=[WEATHER], messages=[{"role": "user", "content": PROMPT + " weather?"}]),
    ]
    result = subprocess.run(
        [node, str(TS_DIR / "stream.mjs"), server.base_url],
        input=json.dumps(requests).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    seen = json.loads(result.stdout)
    client: anthropic.Anthropic
    with server.client() as client:
        for request, ts in zip(requests, seen, strict=True):
            with client.messages.stream(**request) as stream:
                python_text = "".join(stream.text_stream)
                final = stream.get_final_message()
            assert ts["text"] == python_text
            assert ts["events"][0] == "message_start" and ts["events"][-1] == "message_stop"
            expected = final.model_dump(mode="json", exclude={"id"}, exclude_none=True)
            got = {k: v for k, v in ts["final"].items() if k != "id" and v is not None}
            assert got == expected
    assert PROMPT in seen[0]["text"]
    assert [b["type"] for b in seen[1]["final"]["content"]] == ["text", "tool_use"]
