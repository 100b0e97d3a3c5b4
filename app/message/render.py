"""Render one built Message as the JSON body or as the SSE event sequence.

The stream follows the real grammar: ``message_start`` (empty content, null stop reason,
input usage) -> per block ``content_block_start`` (empty payload) / deltas /
``content_block_stop`` with a ``ping`` after the first start -> ``message_delta``
(stop reason + cumulative usage) -> ``message_stop``. Every event is named and its name
equals the data's ``type``. Replaying the events with the SDK's accumulator gives back
exactly the Message (tests check ``get_final_message() == create()``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from .. import tokens
from ..errors import ApiError

Event = tuple[str, dict[str, Any]]

_STREAMED_INPUT = {"tool_use", "server_tool_use", "mcp_tool_use"}
_ZWJ = "\u200d"
# Variation selectors, emoji skin-tone modifiers and the keycap mark extend the character
# before them.
_EXTENDERS = frozenset(["\ufe0e", "\ufe0f", "\u20e3", *(chr(c) for c in range(0x1F3FB, 0x1F400))])
_REGIONAL = "".join(chr(c) for c in range(0x1F1E6, 0x1F200))
_END_ONLY_USAGE = frozenset({"server_tool_use", "output_tokens_details"})
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


def error_event(error: ApiError, request_id: str | None) -> Event:
    return "error", error.body(request_id)


def events(message: Mapping[str, Any], chunk_size: int = 16) -> list[Event]:
    """The full event sequence for ``message``."""
    return list(iter_events(message, chunk_size))


def iter_events(message: Mapping[str, Any], chunk_size: int = 16) -> Iterator[Event]:
    usage = message["usage"]
    # Counts only known at the end arrive in message_delta (cumulative), as on the real API.
    start_usage = {k: v for k, v in usage.items() if k not in _END_ONLY_USAGE}
    # The real stream reports a small provisional output count at start; the final
    # cumulative count arrives in message_delta.
    start_usage["output_tokens"] = min(1, usage.get("output_tokens", 0))
    start = {k: v for k, v in message.items() if k not in ("content", "usage", "container")}
    start.update(content=[], stop_reason=None, stop_sequence=None, stop_details=None)
    start["usage"] = start_usage
    yield "message_start", {"type": "message_start", "message": start}

    content = message["content"]
    if not content:
        yield "ping", {"type": "ping"}
    for index, block in enumerate(content):
        yield from _block_events(index, block, chunk_size)

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
        yield from _start(index, start)
        for citation in citations or ():
            yield _delta(index, {"type": "citations_delta", "citation": citation})
        for chunk in _chunks(block.get("text", ""), chunk_size):
            yield _delta(index, {"type": "text_delta", "text": chunk})
    elif kind == "thinking":
        yield from _start(index, {"type": "thinking", "thinking": "", "signature": ""})
        for chunk in _chunks(block.get("thinking", ""), chunk_size):
            yield _delta(index, {"type": "thinking_delta", "thinking": chunk})
        yield _delta(index, {"type": "signature_delta", "signature": block.get("signature", "")})
    elif kind in _STREAMED_INPUT:
        yield from _start(index, {**block, "input": {}})
        yield _delta(index, {"type": "input_json_delta", "partial_json": ""})
        raw = orjson.dumps(block.get("input", {})).decode()
        for i in range(0, len(raw), max(1, chunk_size)):
            yield _delta(
                index, {"type": "input_json_delta", "partial_json": raw[i : i + chunk_size]}
            )
    else:
        # Result blocks, redacted thinking and the like arrive whole in the start event.
        yield from _start(index, dict(block))
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def _chunks(text: str, chunk_size: int) -> Iterator[str]:
    """Whole token-like pieces grouped to about ``chunk_size`` characters.

    Never splits a character, nor a grapheme such as an emoji ZWJ sequence, a flag or a
    letter with its combining marks, so a client printing deltas as they come never shows
    half an emoji."""
    buf = ""
    for piece in tokens.pieces(text):
        if len(buf) >= chunk_size and (
            (buf[-1] < "\x80" and piece[0] < "\x80") or not _joins(buf, piece)
        ):
            yield buf
            buf = ""
        buf += piece
    if buf:
        yield buf


def _joins(before: str, after: str) -> bool:
    """Whether ``after`` continues the grapheme that ``before`` ends with."""
    last, nxt = before[-1], after[0]
    if last == _ZWJ or nxt == _ZWJ or nxt in _EXTENDERS or unicodedata.combining(nxt):
        return True
    if "\U000e0020" <= nxt <= "\U000e007f":  # emoji tag sequences (subdivision flags)
        return True
    if _is_regional(last) and _is_regional(nxt):
        # Flags are pairs of regional indicators: join only an unpaired trailing one.
        run = len(before) - len(before.rstrip(_REGIONAL))
        return run % 2 == 1
    return False


def _is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _start(index: int, block: dict[str, Any]) -> Iterator[Event]:
    yield (
        "content_block_start",
        {
            "type": "content_block_start",
            "index": index,
            "content_block": block,
        },
    )
    if index == 0:
        # The real API sends its first ping right after the first content_block_start.
        yield "ping", {"type": "ping"}


def _delta(index: int, delta: dict[str, Any]) -> Event:
    return "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
