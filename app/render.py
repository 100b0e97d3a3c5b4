"""Render one built Message as the JSON body or as the SSE event sequence.

The stream follows the real grammar: ``message_start`` (empty content, null stop reason,
input usage) -> per block ``content_block_start`` (empty payload) / deltas /
``content_block_stop`` with a ``ping`` after the first start -> ``message_delta``
(stop reason + cumulative usage) -> ``message_stop``. Every event is named and its name
equals the data's ``type``. Replaying the events with the SDK's accumulator gives back
exactly the Message (tests check ``get_final_message() == create()``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from . import tokens
from .errors import ApiError

Event = tuple[str, dict[str, Any]]

_STREAMED_INPUT = {"tool_use", "server_tool_use", "mcp_tool_use"}
_DELTA_USAGE_KEYS = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "server_tool_use",
    "output_tokens_details",
)


def render_json(message: Mapping[str, Any]) -> bytes:
    return orjson.dumps(message)


def encode_event(name: str, data: Mapping[str, Any]) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


def encode_events(events: list[Event]) -> bytes:
    return b"".join(encode_event(name, data) for name, data in events)


def error_event(error: ApiError, request_id: str | None) -> Event:
    return "error", error.body(request_id)


def events(message: Mapping[str, Any], chunk_size: int = 16) -> list[Event]:
    """The full event sequence for ``message``."""
    return list(iter_events(message, chunk_size))


def iter_events(message: Mapping[str, Any], chunk_size: int = 16) -> Iterator[Event]:
    usage = message["usage"]
    start_usage = {k: v for k, v in usage.items() if k not in ("server_tool_use",)}
    # The real stream reports a small provisional output count at start; the final
    # cumulative count arrives in message_delta.
    start_usage["output_tokens"] = min(1, usage.get("output_tokens", 0))
    start = {k: v for k, v in message.items() if k not in ("content", "usage", "container")}
    start.update(content=[], stop_reason=None, stop_sequence=None, stop_details=None)
    start["usage"] = start_usage
    yield "message_start", {"type": "message_start", "message": start}

    for index, block in enumerate(message["content"]):
        yield from _block_events(index, block, chunk_size)
        if index == 0:
            yield "ping", {"type": "ping"}

    delta: dict[str, Any] = {
        "stop_reason": message["stop_reason"],
        "stop_sequence": message["stop_sequence"],
        "stop_details": message.get("stop_details"),
    }
    if message.get("container") is not None:
        delta["container"] = message["container"]
    delta_usage = {"output_tokens": usage.get("output_tokens", 0)}
    for key in _DELTA_USAGE_KEYS:
        if usage.get(key) is not None:
            delta_usage[key] = usage[key]
    yield "message_delta", {"type": "message_delta", "delta": delta, "usage": delta_usage}
    yield "message_stop", {"type": "message_stop"}


def _block_events(index: int, block: Mapping[str, Any], chunk_size: int) -> Iterator[Event]:
    kind = block["type"]
    if kind == "text":
        citations = block.get("citations")
        start: dict[str, Any] = {"type": "text", "text": ""}
        if citations:
            start["citations"] = []
        yield _start(index, start)
        for citation in citations or ():
            yield _delta(index, {"type": "citations_delta", "citation": citation})
        for chunk in _chunks(block.get("text", ""), chunk_size):
            yield _delta(index, {"type": "text_delta", "text": chunk})
    elif kind == "thinking":
        yield _start(index, {"type": "thinking", "thinking": "", "signature": ""})
        for chunk in _chunks(block.get("thinking", ""), chunk_size):
            yield _delta(index, {"type": "thinking_delta", "thinking": chunk})
        yield _delta(index, {"type": "signature_delta", "signature": block.get("signature", "")})
    elif kind in _STREAMED_INPUT:
        yield _start(index, {**block, "input": {}})
        yield _delta(index, {"type": "input_json_delta", "partial_json": ""})
        raw = orjson.dumps(block.get("input", {})).decode()
        for i in range(0, len(raw), max(1, chunk_size)):
            yield _delta(
                index, {"type": "input_json_delta", "partial_json": raw[i : i + chunk_size]}
            )
    else:
        # Result blocks, redacted thinking and the like arrive whole in the start event.
        yield _start(index, dict(block))
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def _chunks(text: str, chunk_size: int) -> Iterator[str]:
    """Whole token-like pieces grouped to about ``chunk_size`` characters (never splits
    a character, so non-ASCII text survives any chunking)."""
    buf = ""
    for piece in tokens.pieces(text):
        buf += piece
        if len(buf) >= chunk_size:
            yield buf
            buf = ""
    if buf:
        yield buf


def _start(index: int, block: dict[str, Any]) -> Event:
    return "content_block_start", {
        "type": "content_block_start",
        "index": index,
        "content_block": block,
    }


def _delta(index: int, delta: dict[str, Any]) -> Event:
    return "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
