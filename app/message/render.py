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

from ..errors import ApiError
from .kinds import kind_of

Event = tuple[str, dict[str, Any]]

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
    kind = kind_of(block)  # refuses a kind with no entry
    yield from _start(index, kind.start(block))
    if kind.deltas is not None:
        for delta in kind.deltas(block, chunk_size):
            yield _delta(index, delta)
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


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
