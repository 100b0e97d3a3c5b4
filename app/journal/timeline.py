"""The events of a streamed answer, as the inspector shows them, with their timing.

Two cases (the journal's choices):
- a stream written over time (paced or faulted) kept each event it wrote with its time
  (``Record.timeline``): shown exactly as written, keep-alive pings and injected errors
  included, each with its time since the request arrived;
- a stream written in one piece kept only its Message: its events are rendered again from
  it (the same ``render.iter_events`` that wrote them, with the chunk size of the plan that
  answered), all written at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import orjson

from ..message.render import iter_events
from .redaction import redact_value

if TYPE_CHECKING:
    from . import Record

RECORDED = "recorded"
"""Each event's own time, as written."""
ONE_PIECE = "one_piece"
"""Rendered again from the Message: every event went out at once."""
NOT_KEPT = "not_kept"
"""Neither the events nor the Message were kept (e.g. the journal entry of an error)."""


def stream_events(
    record: Record,
    message: Mapping[str, Any] | None,
    chunk_size: int,
    secrets: tuple[str, ...],
) -> dict[str, Any]:
    """``{"timing": ..., "events": [{"event", "data", "at_ms"}], "note": ...}``."""
    if record.timeline is not None:
        events = list(_recorded(record.timeline, record.started, secrets))
        note = "Each event with the time it was written, since the request arrived."
        if any(e["data"] is None for e in events):
            note += " Events past the journal's size cap keep only their name and time."
        return {"timing": RECORDED, "events": events, "note": note}
    if message is None:
        return {
            "timing": NOT_KEPT,
            "events": [],
            "note": "The journal kept neither this stream's events nor its Message.",
        }
    at = round((record.finished - record.started) * 1000, 3)
    shown = redact_value(message, secrets) if secrets else message
    return {
        "timing": ONE_PIECE,
        "events": [
            {"event": name, "data": data, "at_ms": at}
            for name, data in iter_events(shown, chunk_size)
        ],
        "note": (
            "Written in one piece (no pacing): the events are rendered again from the "
            "Message, all sent at the same moment."
        ),
    }


def _recorded(
    timeline: Iterable[tuple[float, bytes]], started: float, secrets: tuple[str, ...]
) -> Iterable[dict[str, Any]]:
    """Each event with the time of the write that completed it: a write is usually one event
    (or a keep-alive ping beside it), but an upstream's forwarded answer is cut anywhere."""
    pending = b""
    for at, chunk in timeline:
        at_ms = round((at - started) * 1000, 3)
        if not chunk:  # past the cap: the time alone
            pending = b""
            yield {"event": None, "data": None, "at_ms": at_ms}
            continue
        pending += chunk.replace(b"\r\n", b"\n")
        *done, pending = pending.split(b"\n\n")
        for block in done:
            name, data = _parsed(block)
            if name is None and data is None:
                continue
            if secrets and data is not None:
                data = redact_value(data, secrets)
            yield {"event": name, "data": data, "at_ms": at_ms}


def _parsed(block: bytes) -> tuple[str | None, Any]:
    name: str | None = None
    lines: list[bytes] = []
    for line in block.split(b"\n"):
        if line.startswith(b"event:"):
            name = line[6:].strip().decode("utf-8", "replace")
        elif line.startswith(b"data:"):
            lines.append(line[5:].removeprefix(b" "))
    if not lines:
        return name, None
    raw = b"\n".join(lines)
    try:
        return name, orjson.loads(raw)
    except orjson.JSONDecodeError:
        return name, raw.decode("utf-8", "replace")
