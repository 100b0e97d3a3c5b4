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
- an answer's Message is kept as the very object the pipeline built (no copy, no
  rendering: a reference); the view shows it as ``response``, and its size on the wire
  counts against ``MEMORY_BUDGET`` beside the bodies;
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

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson

from .view import Filter, session_of, view

BODY_CAP = 1024 * 1024
"""Bodies up to this size are kept (and shown parsed when JSON)."""
ERROR_CAP = 64 * 1024
"""Error responses up to this size are kept to show their ``error.type`` and message."""
MEMORY_BUDGET = 128 * 1024 * 1024
"""Body bytes all entries may hold together."""

MESSAGE_KEY = "sandbox.message"
"""Where the answering endpoint leaves the Message it answered with, on the ASGI scope, for
the journal (``web.front``) to keep."""

Headers = list[tuple[bytes, bytes]]
NO_ANSWER_HEADERS: Mapping[str, str] = {}
"""``Record.answer`` of a response with none of the headers an entry shows."""


class Record(NamedTuple):
    """One exchange, as raw as it came. Build it with ``record`` (or a ``Recorder``)."""

    started: float
    """``time.perf_counter()`` when the request arrived."""
    finished: float
    method: str
    path: str
    query: bytes
    headers: bytes
    """The request headers, packed by ``pack_headers``."""
    body: bytes | None
    """The whole body; None when the app never read it or it was over ``BODY_CAP``."""
    digest: tuple[int, str] | None
    """(size, sha256 hex) of a body over ``BODY_CAP``."""
    status: int | None
    content_type: bytes
    answer: Mapping[str, str]
    """The ``x-sandbox-rule`` / ``-session`` / ``-step`` / ``-unknown-fields`` response headers."""
    error: bytes | None
    """An error response's body (up to ``ERROR_CAP``)."""
    request_id: str
    complete: bool
    message: Any
    """The Message of a ``POST /v1/messages`` answer, as built (None: an error, or no
    Message was answered)."""
    message_size: int
    """Bytes of the answer that carried ``message`` (JSON or SSE): its share of the budget."""
    timeline: tuple[tuple[float, bytes], ...] | None
    """A stream written over time: each event's ``perf_counter()`` time and bytes (empty
    bytes past ``BODY_CAP``); None for any other answer."""


def record(
    started: float,
    method: str,
    path: str,
    query: bytes,
    headers: Headers,
    body: bytes | None,
    status: int | None,
    content_type: bytes,
    answer: Mapping[str, str],
    error: bytes | None,
    request_id: str,
    *,
    complete: bool = True,
    digest: tuple[int, str] | None = None,
    message: Any = None,
    message_size: int = 0,
    timeline: tuple[tuple[float, bytes], ...] | None = None,
) -> Record:
    """An exchange whose whole request body was read (``None``: never read); ``digest``
    stands for a body hashed as it streamed by (``Recorder``)."""
    if body is not None and len(body) > BODY_CAP:
        digest, body = (len(body), hashlib.sha256(body).hexdigest()), None
    if error is not None and len(error) > ERROR_CAP:
        error = None
    return Record(
        started,
        time.perf_counter(),
        method,
        path,
        query,
        pack_headers(headers),
        body,
        digest,
        status,
        content_type,
        answer,
        error,
        request_id,
        complete,
        message,
        message_size if message is not None else 0,
        timeline,
    )


class Recorder:
    """Builds the ``Record`` of an exchange that streams by (bodies in parts, a response
    written by someone else): ``add_body`` as the app reads, ``answered`` and ``add_answer``
    as the response goes out, then ``finish``. Past ``BODY_CAP`` the body's parts are dropped
    and only its size and sha256 are kept."""

    __slots__ = (
        "_hasher",
        "_parts",
        "_size",
        "_timeline_size",
        "answer",
        "answer_size",
        "content_type",
        "error_parts",
        "headers",
        "method",
        "path",
        "query",
        "recorded",
        "started",
        "status",
        "timeline",
    )

    def __init__(
        self, method: str, path: str, query: bytes, headers: Headers, started: float | None = None
    ) -> None:
        self.started = time.perf_counter() if started is None else started
        self.recorded = False
        """Whether ``finish`` made its record."""
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self._parts: list[bytes] = []
        self._size: int | None = None
        """None: the app never read the body."""
        self._hasher: Any = None
        self.status: int | None = None
        self.content_type = b""
        self.answer: Mapping[str, str] = NO_ANSWER_HEADERS
        self.error_parts: list[bytes] | None = None
        """Not None once an error status was answered."""
        self.answer_size = 0
        self.timeline: list[tuple[float, bytes]] | None = None
        """Not None once an event stream was answered."""
        self._timeline_size = 0

    def add_body(self, chunk: bytes) -> None:
        size = self._size = (self._size or 0) + len(chunk)
        if self._hasher is not None:
            self._hasher.update(chunk)
            return
        self._parts.append(chunk)
        if size > BODY_CAP:
            self._hasher = hashlib.sha256()
            for kept in self._parts:
                self._hasher.update(kept)
            self._parts = []

    def answered(self, status: int, headers: Headers) -> None:
        self.status = status
        self.content_type, self.answer = answer_headers(headers)
        if status >= 400:
            self.error_parts = []
        elif self.content_type.startswith(b"text/event-stream"):
            self.timeline = []

    def add_answer(self, chunk: bytes) -> None:
        """Part of the response body: kept when it tells an error, that is the body of an
        error status (up to ``ERROR_CAP``) or the ``error`` event a stream ends with; a
        stream's events are kept with their time (``Record.timeline``)."""
        self.answer_size += len(chunk)
        timeline = self.timeline
        if timeline is not None and chunk:
            self._timeline_size += len(chunk)
            kept = chunk if self._timeline_size <= BODY_CAP else b""
            timeline.append((time.perf_counter(), kept))
        parts = self.error_parts
        if parts is not None:
            if sum(map(len, parts)) + len(chunk) <= ERROR_CAP:
                parts.append(chunk)
        elif self.content_type.startswith(b"text/event-stream"):
            at = chunk.find(_ERROR_EVENT)
            if at >= 0:  # the data line after it is the error envelope
                data = chunk[at + len(_ERROR_EVENT) :].split(b"\n", 1)[0]
                self.error_parts = [data] if len(data) <= ERROR_CAP else []

    def finish(self, request_id: str, *, complete: bool, message: Any = None) -> Record:
        self.recorded = True
        body: bytes | None = None
        digest = None
        if self._hasher is not None:
            digest = (self._size or 0, self._hasher.hexdigest())
        elif self._size is not None:
            body = b"".join(self._parts)
        error = b"".join(self.error_parts) if self.error_parts else None
        return record(
            self.started,
            self.method,
            self.path,
            self.query,
            self.headers,
            body,
            self.status,
            self.content_type,
            self.answer,
            error,
            request_id,
            complete=complete,
            digest=digest,
            message=message,
            message_size=self.answer_size,
            timeline=None if self.timeline is None else tuple(self.timeline),
        )


_ERROR_EVENT = b"event: error\ndata: "

_ANSWER_HEADERS = frozenset(
    {b"x-sandbox-rule", b"x-sandbox-session", b"x-sandbox-step", b"x-sandbox-unknown-fields"}
)


def answer_headers(headers: Headers) -> tuple[bytes, Mapping[str, str]]:
    """(content type, the ``x-sandbox-*`` headers) of a response's header list."""
    content_type = b""
    answer: dict[str, str] = {}
    for name, value in headers:
        if name == b"content-type":
            content_type = value
        elif name in _ANSWER_HEADERS:
            answer[name.decode()] = value.decode("latin-1")
    return content_type, answer or NO_ANSWER_HEADERS


def pack_headers(headers: Headers) -> bytes:
    """One bytes value instead of the server's list of tuples of small bytes: what a
    thousand entries keep alive is then a thousand objects, not twenty thousand."""
    # HTTP forbids CR/LF in names and values and ":" in names, so this splits back exactly.
    return b"\n".join(map(b":".join, headers))


Listener = Callable[[Record], None]


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

    @property
    def enabled(self) -> bool:
        return self.size > 0 or self.path is not None

    def add(self, record: Record) -> None:
        if self.path is not None:
            self._write(record)
        if self._listeners:
            for listener in self._listeners:
                listener(record)
        if not self.size:
            return
        records = self._records
        held = self._held + _held(record)
        if len(records) >= self.size:
            held -= _held(records.popleft())
        records.append(record)
        while held > MEMORY_BUDGET and len(records) > 1:
            held -= _held(records.popleft())
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
        for record in self.newest_first():
            if session is not None and session_of(record) != session:
                continue  # another session's: no view built
            shown = self.view(record)
            if keep is None or keep(shown):
                out.append(shown)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def get(self, request_id: str) -> dict[str, Any] | None:
        record = self.find(request_id)
        return None if record is None else self.view(record)

    def find(self, request_id: str) -> Record | None:
        for record in self.newest_first():
            if record.request_id == request_id:
                return record
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
        self._held = sum(map(_held, self._records))
        return before - len(self._records)

    def close(self) -> None:
        """Close the JSONL file (server shutdown); a later entry opens it again."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __len__(self) -> int:
        return len(self._records)


def _held(record: Record) -> int:
    """Body bytes ``record`` keeps (the journal's memory budget)."""
    held = len(record.body or b"") + len(record.error or b"") + record.message_size
    if record.timeline is not None:  # a second copy of a paced stream's bytes
        held += sum(len(chunk) for _, chunk in record.timeline)
    return held
