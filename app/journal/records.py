"""One exchange as the journal keeps it: a ``Record`` (a tuple of raw values, made by
``record`` or, for an exchange that streams by, a ``Recorder``). See the package docstring
for why a tuple and what is kept."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import orjson

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
    """The Message of a ``POST /v1/messages`` answer (None: an error, or no Message was
    answered): the JSON bytes it was answered with when it was answered as JSON, else as
    built. Read it with ``message_of``."""
    held: int
    """Bytes this record keeps (``body``, ``error``, the answer that carried ``message``, the
    ``timeline``'s events): its share of ``MEMORY_BUDGET``, counted once when it is made."""
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
    complete: bool = True,
    digest: tuple[int, str] | None = None,
    message: Any = None,
    message_size: int = 0,
    timeline: tuple[tuple[float, bytes], ...] | None = None,
) -> Record:
    """An exchange whose whole request body was read (``None``: never read); ``digest``
    stands for a body hashed as it streamed by (``Recorder``); ``message_size``: bytes of
    the answer that carried ``message`` (JSON or SSE).

    Called on every request with its arguments by position (``web.front``): keywords cost
    more to pass."""
    held = 0
    if body is not None:
        if len(body) > BODY_CAP:
            digest, body = (len(body), hashlib.sha256(body).hexdigest()), None
        else:
            held = len(body)
    if error is not None:
        if len(error) > ERROR_CAP:
            error = None
        else:
            held += len(error)
    if message is not None:
        held += message_size
    if timeline is not None:  # a second copy of a paced stream's bytes
        held += sum(len(chunk) for _, chunk in timeline)
    # ``tuple.__new__`` straight: ``Record(...)`` passes 17 arguments through the Python
    # ``__new__`` namedtuple generates (with the positional call: 14.3 K -> 11.2 K
    # instructions a record, callgrind).
    return _new_record(
        Record,
        (
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
            held,
            timeline,
        ),
    )


_new_record = tuple.__new__


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
            complete,
            digest,
            message,
            self.answer_size,
            None if self.timeline is None else tuple(self.timeline),
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


def message_of(record: Record) -> Any:
    """``record.message`` as the Message built: a JSON answer's bytes parsed again."""
    message = record.message
    return orjson.loads(message) if isinstance(message, bytes) else message


Listener = Callable[[Record], None]
