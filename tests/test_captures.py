"""Requests real clients sent (../shared/captures): each is accepted as sent and with `stream`
flipped, answered 200 in the mode it asked for, and the answer parses in the SDK's types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anthropic
import httpx
import pytest
from conftest import CAPTURES
from pydantic import TypeAdapter

# Transport headers httpx sets itself for the body it sends.
_HOP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "transfer-encoding"}
_EVENT = TypeAdapter(anthropic.types.RawMessageStreamEvent)


def _captures() -> list[Path]:
    return sorted(CAPTURES.glob("*.json")) if CAPTURES.is_dir() else []


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _send(http: httpx.Client, capture: dict[str, Any], body: dict[str, Any]) -> httpx.Response:
    headers = {k: v for k, v in capture["headers"].items() if k.lower() not in _HOP_HEADERS}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return http.request(capture["method"], capture["path"], headers=headers, content=data)


def _parse_sse(raw: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for chunk in raw.split("\n\n"):
        if not chunk.strip():
            continue
        fields = dict(line.split(": ", 1) for line in chunk.split("\n") if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def _assert_answer(response: httpx.Response, path: str, stream: bool) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["request-id"].startswith("req_")
    if path.startswith("/v1/messages/count_tokens"):
        assert anthropic.types.MessageTokensCount.model_validate(response.json()).input_tokens > 0
        return
    if not stream:
        assert response.headers["content-type"].startswith("application/json")
        message = anthropic.types.Message.model_validate(response.json())
        assert message.content
        return
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _parse_sse(response.text)
    assert events[0][0] == "message_start" and events[-1][0] == "message_stop"
    for name, data in events:
        assert name == data["type"]
        if name != "ping":
            _EVENT.validate_python(data)


@pytest.fixture(scope="module")
def counting_routed(server: Any) -> bool:
    with server.http() as http:
        response = http.post("/v1/messages/count_tokens", json={})
    return response.status_code != 404 or response.json()["error"]["message"] != "Not Found"


@pytest.mark.parametrize("path", _captures(), ids=lambda p: p.stem)
@pytest.mark.parametrize("flip", [False, True], ids=["as_sent", "stream_flipped"])
def test_capture_is_accepted(
    http: httpx.Client, counting_routed: bool, path: Path, flip: bool
) -> None:
    capture = _load(path)
    counting = capture["path"].startswith("/v1/messages/count_tokens")
    if counting and not counting_routed:
        pytest.skip("POST /v1/messages/count_tokens is not routed yet")
    if counting and flip:
        pytest.skip("count_tokens has no `stream`")
    body = dict(capture["body"])
    stream = bool(body.get("stream"))
    if flip:
        stream = not stream
        body["stream"] = stream
    _assert_answer(_send(http, capture, body), capture["path"], stream)


def test_captures_are_present() -> None:
    if not CAPTURES.is_dir():
        pytest.skip(f"no captures at {CAPTURES}")
    assert len(_captures()) >= 1
