"""A streamed answer as it arrives: SSE bytes -> events -> the one Message, and its pacing.

``SseDecoder`` splits bytes (cut anywhere: mid-line, mid-character) into ``(event, data)``
pairs the way the official SDK's decoder does. ``MessageAccumulator`` folds the events into
the Message exactly as the SDK's ``accumulate_event`` does (tests check the two agree), so a
recorded stream replays as the Message the client saw. ``Pacing`` measures when the content
deltas came, as the fixture format's ``first_token_ms`` / ``tokens_per_second``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic_core import from_json

from ..tokens import count_text

_TOOL_INPUT = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})
_OPTIONAL_USAGE = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "server_tool_use",
    "output_tokens_details",
)


class SseDecoder:
    """Incremental SSE parser: ``feed`` bytes, get the complete events they finish.

    Lines end with ``\\n``, ``\\r\\n`` or ``\\r``; ``:`` starts a comment; several ``data``
    lines join with ``\\n``; an event ends at a blank line. Events with no data are dropped
    (as the SDK does)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> Iterator[tuple[str, str]]:
        buffer = self._buffer + chunk
        while True:
            cut = _line_end(buffer)
            if cut is None:
                break
            end, after = cut
            line = buffer[:end].decode("utf-8", errors="replace")
            buffer = buffer[after:]
            event = self._line(line)
            if event is not None:
                yield event
        self._buffer = buffer

    def close(self) -> Iterator[tuple[str, str]]:
        """The end of the stream: a last ``\r`` ends its line, and a last line without an
        end is read (an event still open is dropped: no blank line closed it)."""
        buffer, self._buffer = self._buffer, b""
        for line in buffer.splitlines():
            event = self._line(line.decode("utf-8", errors="replace"))
            if event is not None:
                yield event

    def _line(self, line: str) -> tuple[str, str] | None:
        if not line:
            event, data = self._event, self._data
            self._event, self._data = "", []
            return (event or "message", "\n".join(data)) if data else None
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        return None


def _line_end(buffer: bytes) -> tuple[int, int] | None:
    """(end of the first line, start of the next), or None when no line is complete. A
    trailing ``\\r`` waits for the next chunk: it may be the first half of ``\\r\\n``."""
    lf = buffer.find(b"\n")
    cr = buffer.find(b"\r", 0, lf if lf >= 0 else len(buffer))
    if cr >= 0:
        if cr + 1 == len(buffer):
            return None
        return cr, cr + 2 if buffer[cr + 1 : cr + 2] == b"\n" else cr + 1
    if lf >= 0:
        return lf, lf + 1
    return None


class StreamError(Exception):
    """The stream cannot be folded into a Message (events out of order, bad JSON)."""


class MessageAccumulator:
    """Folds the Messages API's stream events into the Message they describe."""

    def __init__(self) -> None:
        self.message: dict[str, Any] | None = None
        self.complete = False
        """``message_stop`` arrived."""
        self.error: dict[str, Any] | None = None
        """The envelope of an ``error`` event, when the stream ended with one."""
        self._json: dict[int, str] = {}

    def add(self, name: str, raw: str) -> dict[str, Any] | None:
        """Fold one event; returns the delta of a ``content_block_delta`` (for pacing).
        Raises ``StreamError`` for an event that does not fit the stream so far."""
        if name == "ping":
            return None
        try:
            return self._add(name, raw)
        except (LookupError, TypeError, AttributeError) as exc:
            raise StreamError(f"event `{name}` does not fit: {type(exc).__name__}: {exc}") from None

    def _add(self, name: str, raw: str) -> dict[str, Any] | None:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise StreamError(f"event `{name}` carries invalid JSON: {exc}") from None
        kind = data.get("type") if isinstance(data, dict) else None
        if name == "error" or kind == "error":
            self.error = data
            return None
        if kind == "message_start":
            self.message = data["message"]  # freshly parsed: ours to fill in
            return None
        message = self.message
        if message is None:
            # Events before message_start pass by untouched (as in the SDK).
            return None
        if kind == "content_block_start":
            message["content"].append(data["content_block"])
        elif kind == "content_block_delta":
            return self._delta(message["content"][data["index"]], data["index"], data["delta"])
        elif kind == "content_block_stop":
            self._finish_input(data["index"])
        elif kind == "message_delta":
            self._message_delta(message, data)
        elif kind == "message_stop":
            for index in list(self._json):
                self._finish_input(index)
            self.complete = True
        return None

    def _delta(self, block: dict[str, Any], index: int, delta: dict[str, Any]) -> dict[str, Any]:
        kind = delta.get("type")
        if kind == "text_delta" and block["type"] == "text":
            block["text"] += delta["text"]
        elif kind == "input_json_delta" and block["type"] in _TOOL_INPUT:
            self._json[index] = self._json.get(index, "") + delta["partial_json"]
        elif kind == "citations_delta" and block["type"] == "text":
            if not block.get("citations"):
                block["citations"] = []
            block["citations"].append(delta["citation"])
        elif kind == "thinking_delta" and block["type"] == "thinking":
            block["thinking"] += delta["thinking"]
        elif kind == "signature_delta" and block["type"] == "thinking":
            block["signature"] = delta["signature"]
        return delta

    def _finish_input(self, index: int) -> None:
        raw = self._json.pop(index, "")
        if not raw or self.message is None:
            return
        try:
            # Partial: a tool call cut at max_tokens ends mid-JSON (the SDK tolerates it too).
            value = from_json(raw, allow_partial=True)
        except ValueError as exc:
            raise StreamError(f"tool input of block {index} is not JSON: {exc}") from None
        self.message["content"][index]["input"] = value

    @staticmethod
    def _message_delta(message: dict[str, Any], data: dict[str, Any]) -> None:
        delta = data.get("delta") or {}
        message["stop_reason"] = delta.get("stop_reason")
        message["stop_sequence"] = delta.get("stop_sequence")
        message["stop_details"] = delta.get("stop_details")
        if delta.get("container") is not None:
            message["container"] = delta["container"]
        usage = data.get("usage") or {}
        message["usage"]["output_tokens"] = usage.get("output_tokens")
        # Cumulative totals: they overwrite, and an omitted one keeps the start value.
        for key in _OPTIONAL_USAGE:
            if usage.get(key) is not None:
                message["usage"][key] = usage[key]
        # Beta top-level fields (context_management, ...) arrive whole here.
        for key, value in data.items():
            if key not in ("type", "delta", "usage"):
                message[key] = value


@dataclass
class Pacing:
    """When the content deltas of a stream arrived, relative to the request being sent."""

    first_delta: float | None = None
    last_delta: float | None = None
    tokens_after_first: int = 0
    """Tokens of every delta but the first, the way a replay's pacing counts them."""

    def delta(self, at: float, delta: dict[str, Any]) -> None:
        payload = next(
            (v for k, v in delta.items() if k in ("text", "thinking", "partial_json")), ""
        )
        if self.first_delta is None:
            self.first_delta = at
        else:
            self.tokens_after_first += max(1, count_text(str(payload)))
        self.last_delta = at

    def options(self) -> dict[str, float]:
        """The fixture ``stream:`` options that replay this timing (empty: too fast to tell).

        Deliberate choice: ``first_token_ms`` is counted from the request being sent, so it
        includes the upstream's time to its response headers, as a client feels it."""
        out: dict[str, float] = {}
        if self.first_delta is None or self.last_delta is None:
            return out
        first_ms = round(self.first_delta * 1000)
        if first_ms >= 1:
            out["first_token_ms"] = first_ms
        spread = self.last_delta - self.first_delta
        # Below a few ms the deltas came in one write: there is no rate to speak of.
        if self.tokens_after_first and spread >= 0.005:
            out["tokens_per_second"] = round(self.tokens_after_first / spread, 1)
        return out
