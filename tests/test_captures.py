"""Requests real clients sent (../shared/captures): each is accepted as sent and with `stream`
flipped, answered 200 in the mode it asked for, and the answer parses in the SDK's types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anthropic
import httpx
import pytest
from conftest import CAPTURES, NO_CAPTURES, capture_files
from pydantic import TypeAdapter

# Transport headers httpx sets itself for the body it sends.
_HOP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "transfer-encoding"}
_EVENT = TypeAdapter(anthropic.types.RawMessageStreamEvent)


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


def _cases() -> list[Any]:
    """Every capture as sent, and with `stream` flipped where the endpoint has one (or one
    skipped case saying where the captures were looked for)."""
    cases = []
    for path in capture_files():
        cases.append(pytest.param(path, False, id=f"{path.stem}-as_sent"))
        if not _load(path)["path"].startswith("/v1/messages/count_tokens"):
            cases.append(pytest.param(path, True, id=f"{path.stem}-stream_flipped"))
    skipped = pytest.param(None, False, id="no-captures", marks=pytest.mark.skip(NO_CAPTURES))
    return cases or [skipped]


@pytest.mark.parametrize(("path", "flip"), _cases())
def test_capture_is_accepted(http: httpx.Client, path: Path, flip: bool) -> None:
    capture = _load(path)
    body = dict(capture["body"])
    stream = bool(body.get("stream"))
    if flip:
        stream = not stream
        body["stream"] = stream
    _assert_answer(_send(http, capture, body), capture["path"], stream)


def test_captures_are_present() -> None:
    if not CAPTURES.is_dir():
        pytest.skip(NO_CAPTURES)
    assert list(CAPTURES.glob("*.json"))
