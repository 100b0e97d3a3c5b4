"""The request journal: a bounded record of what clients sent and what they got back.

CI jobs read it after their app ran (``GET /_sandbox/requests``) to assert what the app sent,
like WireMock's request journal or respx's ``calls``. ``web.front`` records each exchange as
one ``Record``: a tuple of raw values (the body bytes the app already read, the request
headers packed into one bytes value, the few response headers an entry shows). Nothing is
parsed, decoded, redacted or formatted until somebody reads the journal (``journal.view``).
Every view is redacted, and so is every line of the optional JSONL file.

Why a tuple of plain values: recording is on every request's path, and what it keeps stays
alive for a thousand requests. A live server paid ~12 µs per small request for the former
per-entry object with its lists (an object per field, most of them tracked by the garbage
collector) and ~7 µs for this tuple; packing each record into one bytes value measured the
same as the tuple, so the simpler form stays (bench/results.md).

Deliberate choices:
- bodies up to ``BODY_CAP`` are kept whole and shown parsed when they are JSON; a larger or
  non-JSON body is shown as its size and sha256 (``Recorder`` hashes a streamed body as it
  goes by, so nothing past the cap is buffered);
- a body the app never read (a request refused on its headers, such as a 401) has
  ``body_size: null``: reading it after the answer is not possible over ASGI;
- all entries together keep at most ``MEMORY_BUDGET`` bytes of bodies: the oldest go first;
- an answer's Message is kept as the JSON bytes it was answered with (already made: no
  copy), parsed again when a view is built (``message_of``); a streamed answer's as the
  very object the pipeline built (a reference). The view shows it as ``response``, and its
  size on the wire counts against ``MEMORY_BUDGET`` beside the bodies. The bytes rather than
  the dict: a tree of containers alive for a thousand requests is work for the garbage
  collector on every request (live small request: 398.4 K -> 391.3 K instructions);
- a stream written over time (paced or faulted) keeps each event it wrote with the time it
  was written (``Record.timeline``, up to ``BODY_CAP`` bytes of events, then the times
  alone): such streams wait on purpose, so a clock read per event costs nothing that
  matters. A stream written in one piece keeps no events: they are rendered again from its
  Message when read;
- an entry's ``time`` is derived from the monotonic clock its duration is measured with
  (one clock read at each end of a request), anchored to the wall clock when the journal
  was made: it may drift from the wall clock by what NTP slews meanwhile (ppm).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from .records import (
    BODY_CAP,
    ERROR_CAP,
    MEMORY_BUDGET,
    MESSAGE_KEY,
    NO_ANSWER_HEADERS,
    Listener,
    Record,
    Recorder,
    answer_headers,
    message_of,
    pack_headers,
    record,
)
from .view import Filter, session_of, view

__all__ = [
    "BODY_CAP",
    "ERROR_CAP",
    "MEMORY_BUDGET",
    "MESSAGE_KEY",
    "NO_ANSWER_HEADERS",
    "Journal",
    "Listener",
    "Record",
    "Recorder",
    "answer_headers",
    "message_of",
    "pack_headers",
    "record",
]


class Journal:
    """Ring buffer of the last ``size`` records (0: none kept), optionally mirrored as JSONL.

    Only the event loop touches it (``web.front`` and the admin routes), so no lock.
    ``listen`` adds a function called with each record as it is added (the inspector's live
    feed): it must be quick and must not raise. With nobody listening, ``add`` pays one
    truth test of an empty list.
    """

    shared = False
    """True for a journal every process shares (``state.redis_journal``): the web edge then
    awaits ``add_async`` instead of calling ``add``."""

    def __init__(self, size: int, file: Path | None = None) -> None:
        self.size = max(size, 0)
        self._records: deque[Record] = deque()
        self._held = 0
        self.path = file
        self.enabled = self.size > 0 or file is not None
        """Whether anything is recorded at all (an attribute, not a property: the web edge
        reads it on every request)."""
        self._file: IO[bytes] | None = None
        # Wall-clock time = this + a ``perf_counter()`` reading (see the module's choices).
        self._epoch = time.time() - time.perf_counter()
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every record added from now on; returns the way to stop."""
        # A new list each time: ``add`` may be iterating the old one.
        self._listeners = [*self._listeners, listener]

        def stop() -> None:
            self._listeners = [x for x in self._listeners if x is not listener]

        return stop

    @property
    def epoch(self) -> float:
        """Wall-clock time of a ``perf_counter()`` reading of 0 (a record's ``started`` + this
        is when it arrived)."""
        return self._epoch

    def add(self, record: Record) -> None:
        if self.path is not None:
            self._write(record)
        if self._listeners:
            for listener in self._listeners:
                listener(record)
        if not self.size:
            return
        records = self._records
        held = self._held + record.held
        if len(records) >= self.size:
            held -= records.popleft().held
        records.append(record)
        while held > MEMORY_BUDGET and len(records) > 1:
            held -= records.popleft().held
        self._held = held

    async def add_async(self, record: Record) -> None:
        self.add(record)

    def _write(self, record: Record) -> None:
        # The line is the redacted view, built now (~10 µs of CPU for a small request; the
        # write and the flush ~3 µs more). Flushed per entry, so the file is whole whenever a
        # CI job copies it (a flush to the OS, not an fsync: a mock needs no durability).
        if self._file is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("ab")
        self._file.write(orjson.dumps(self.view(record)) + b"\n")
        self._file.flush()

    def view(self, record: Record) -> dict[str, Any]:
        """The redacted, JSON-able form of ``record`` (built anew on each read)."""
        return view(record, self._epoch)

    def newest_first(self) -> Iterator[Record]:
        newest: Iterator[Record] = reversed(self._records)
        return newest

    def views(self, keep: Filter | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        session = keep.session if keep is not None else None
        for kept in self.newest_first():
            if session is not None and session_of(kept) != session:
                continue  # another session's: no view built
            shown = self.view(kept)
            if keep is None or keep(shown):
                out.append(shown)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def get(self, request_id: str) -> dict[str, Any] | None:
        found = self.find(request_id)
        return None if found is None else self.view(found)

    def find(self, request_id: str) -> Record | None:
        for kept in self.newest_first():
            if kept.request_id == request_id:
                return kept
        return None

    def clear(self, session: str | None = None) -> int:
        """Forget every entry, or only those of ``session``; how many were forgotten."""
        records = self._records
        before = len(records)
        if session is None:
            records.clear()
            self._held = 0
            return before
        self._records = deque(r for r in records if session_of(r) != session)
        self._held = sum(kept.held for kept in self._records)
        return before - len(self._records)

    def close(self) -> None:
        """Close the JSONL file (server shutdown); a later entry opens it again."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __len__(self) -> int:
        return len(self._records)
