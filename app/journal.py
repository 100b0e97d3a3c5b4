"""The request journal: a bounded record of what clients sent and what they got back.

CI jobs read it after their app ran (``GET /_sandbox/requests``) to assert what the app sent,
like WireMock's request journal or respx's ``calls``. ``routes.recording`` captures each
exchange as raw values (the body bytes the app already read, the header lists as they came);
nothing is parsed, redacted or formatted until somebody reads the journal, so recording costs
a few microseconds per request. Every view is redacted (``app.redaction``), and so is every
line of the optional JSONL file.

Deliberate choices:
- bodies up to ``BODY_CAP`` are kept whole and shown parsed when they are JSON; a larger or
  non-JSON body is shown as its size and sha256 (the hash is computed as the body streams by,
  so nothing past the cap is buffered);
- a body the app never read (a request refused on its headers, such as a 401) has
  ``body_size: null``: reading it after the answer is not possible over ASGI;
- all entries together keep at most ``MEMORY_BUDGET`` bytes of bodies: the oldest go first.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode

import orjson

from .redaction import (
    credentials_in,
    may_hold_secrets,
    redact_headers,
    redact_pairs,
    redact_value,
)

BODY_CAP = 1024 * 1024
"""Bodies up to this size are kept (and shown parsed when JSON)."""
ERROR_CAP = 64 * 1024
"""Error responses up to this size are kept to show their ``error.type`` and message."""
MEMORY_BUDGET = 128 * 1024 * 1024
"""Body bytes all entries may hold together."""

Headers = list[tuple[bytes, bytes]]


class Entry:
    """One exchange, filled in raw as it happens; ``view()`` is the redacted JSON-able form.

    The recorder calls ``add_body`` as the app reads the body, ``answered`` and ``add_error``
    as the response goes out, then ``finish``. Bodies are kept whole up to ``BODY_CAP``;
    past it the parts are dropped and only their size and sha256 are kept.
    """

    __slots__ = (
        "_view",
        "body_parts",
        "body_size",
        "complete",
        "duration",
        "error_parts",
        "hasher",
        "headers",
        "held",
        "method",
        "path",
        "query",
        "request_id",
        "response_headers",
        "status",
        "time",
    )

    def __init__(self, method: str, path: str, query: bytes, headers: Headers, at: float) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers: Headers | bytes = headers
        self.time = at
        self.request_id = ""
        self.body_parts: list[bytes] = []
        self.body_size: int | None = None
        """None: the app never read the body."""
        self.hasher: Any = None
        self.status: int | None = None
        self.response_headers: Headers = []
        self.error_parts: list[bytes] | None = None
        self.complete = False
        self.duration = 0.0
        self.held = 0
        """Body bytes this entry keeps (set by ``finish``; the journal's memory budget)."""
        self._view: dict[str, Any] | None = None

    def add_body(self, chunk: bytes) -> None:
        size = self.body_size = (self.body_size or 0) + len(chunk)
        if self.hasher is not None:
            self.hasher.update(chunk)
            return
        self.body_parts.append(chunk)
        if size > BODY_CAP:
            self.hasher = hashlib.sha256()
            for kept in self.body_parts:
                self.hasher.update(kept)
            self.body_parts = []

    def answered(self, status: int, headers: Headers) -> None:
        self.status = status
        # Only the few headers an entry shows are kept (responses carry a dozen others).
        self.response_headers = [(k, v) for k, v in headers if k in _ANSWER_HEADERS]
        if status >= 400:
            self.error_parts = []

    def add_error(self, chunk: bytes) -> None:
        """Part of an error response's body (kept up to ``ERROR_CAP``)."""
        parts = self.error_parts
        if parts is not None and sum(map(len, parts)) + len(chunk) <= ERROR_CAP:
            parts.append(chunk)

    def finish(self, request_id: str, duration: float, complete: bool) -> None:
        self.request_id = request_id
        self.duration = duration
        self.complete = complete
        # Kept: one bytes object for all request headers, instead of the server's list of
        # tuples of small bytes. A thousand entries of scattered small objects made every
        # request ~30 µs slower live (memory the allocator can no longer reuse while hot;
        # bench/results.md); packed, the journal's cost no longer depends on its size.
        if isinstance(self.headers, list):
            self.headers = _pack(self.headers)
        held = (self.body_size or 0) if self.hasher is None else 0
        self.held = held + sum(map(len, self.error_parts)) if self.error_parts else held

    @property
    def body(self) -> bytes | None:
        """The whole body when kept (None when unread or over the cap)."""
        parts = self.body_parts
        if self.body_size is None or self.hasher is not None:
            return None
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def view(self) -> dict[str, Any]:
        if self._view is None:
            self._view = _view(self)
        return self._view


def _view(entry: Entry) -> dict[str, Any]:
    headers = _decoded(entry.headers)
    secrets = credentials_in(headers)
    answered = _picked(entry.response_headers)
    body, parsed = _body(entry, secrets)
    view: dict[str, Any] = {
        "id": entry.request_id,
        "time": _iso(entry.time),
        "method": entry.method,
        "path": entry.path,
        "query": _query(entry.query),
        "headers": redact_headers(headers),
        "body": body,
        "body_size": entry.body_size,
    }
    if body is None and entry.body_size is not None:
        hasher = entry.hasher or hashlib.sha256(entry.body or b"")
        view["body_sha256"] = hasher.hexdigest()
    view.update(
        status=entry.status,
        stream=_streamed(parsed, answered),
        complete=entry.complete,
        duration_ms=round(entry.duration * 1000, 3),
        rule=answered.get("x-sandbox-rule"),
        session=answered.get("x-sandbox-session") or headers.get("x-sandbox-session"),
        step=answered.get("x-sandbox-step"),
        error=_error(b"".join(entry.error_parts or ()), secrets),
    )
    return view


def _pack(headers: Headers) -> bytes:
    # HTTP forbids CR/LF in names and values and ":" in names, so this splits back exactly.
    return b"\n".join(map(b":".join, headers))


def _unpack(packed: Headers | bytes) -> Headers:
    if not isinstance(packed, bytes):
        return packed
    return [tuple(line.split(b":", 1)) for line in packed.split(b"\n") if line]  # type: ignore[misc]


def _decoded(headers: Headers | bytes) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in _unpack(headers)}


_ANSWER_HEADERS = frozenset(
    {b"content-type", b"x-sandbox-rule", b"x-sandbox-session", b"x-sandbox-step"}
)


def _picked(headers: Headers) -> dict[str, str]:
    """The few response headers an entry shows (responses carry a dozen others)."""
    return {k.decode(): v.decode("latin-1") for k, v in headers if k in _ANSWER_HEADERS}


def _body(entry: Entry, secrets: tuple[str, ...]) -> tuple[Any, Any]:
    """(the redacted body to show, the parsed body) — both None unless it is JSON."""
    raw = entry.body
    if not raw or raw.lstrip()[:1] not in (b"{", b"["):
        return None, None
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None, None
    if not may_hold_secrets(raw, secrets):
        return parsed, parsed
    return redact_value(parsed, secrets), parsed


def _streamed(body: Any, response: dict[str, str]) -> bool:
    if response.get("content-type", "").startswith("text/event-stream"):
        return True
    return isinstance(body, dict) and body.get("stream") is True


def _error(raw: bytes, secrets: tuple[str, ...]) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        error = orjson.loads(raw).get("error")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if not isinstance(error, dict):
        return None
    return redact_value({"type": error.get("type"), "message": error.get("message")}, secrets)


def _query(raw: bytes) -> str:
    if not raw:
        return ""
    text = raw.decode("latin-1")
    pairs = parse_qsl(text, keep_blank_values=True)
    redacted = redact_pairs(pairs)
    return text if redacted == pairs else urlencode(redacted)


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts * 1000) % 1000:03d}Z"


class Filter:
    """``GET /_sandbox/requests`` filters; each None means "any"."""

    def __init__(
        self,
        *,
        path: str | None = None,
        rule: str | None = None,
        status: str | None = None,
        session: str | None = None,
    ) -> None:
        self.path = path
        self.rule = rule
        self.session = session
        self.status = status

    def __call__(self, view: dict[str, Any]) -> bool:
        if self.path is not None and not _path_matches(self.path, view["path"]):
            return False
        if self.rule is not None and view["rule"] != self.rule:
            return False
        if self.session is not None and view["session"] != self.session:
            return False
        return self.status is None or _status_matches(self.status, view["status"])


def _path_matches(wanted: str, path: str) -> bool:
    """Exact, or a prefix when ``wanted`` ends with ``*`` (``/v1/messages*``)."""
    if wanted.endswith("*"):
        return path.startswith(wanted[:-1])
    return path == wanted


def _status_matches(wanted: str, status: int | None) -> bool:
    """``404`` or a class such as ``4xx``."""
    if status is None:
        return False
    if wanted.lower().endswith("xx"):
        return str(status)[:1] == wanted[:1]
    return str(status) == wanted


def valid_status_filter(value: str) -> bool:
    return (value.isdigit() and len(value) == 3) or (
        len(value) == 3 and value[0] in "12345" and value[1:].lower() == "xx"
    )


class Journal:
    """Ring buffer of the last ``size`` entries (0: none kept), optionally mirrored as JSONL.

    Only the event loop touches it (the recording middleware and the admin routes), so no lock.
    """

    def __init__(self, size: int, file: Path | None = None) -> None:
        self.size = max(size, 0)
        self._entries: deque[Entry] = deque()
        self._held = 0
        self.path = file
        self._file: IO[bytes] | None = None

    @property
    def enabled(self) -> bool:
        return self.size > 0 or self.path is not None

    def record(self, entry: Entry) -> None:
        if self.path is not None:
            self._write(entry)
        if not self.size:
            return
        entries = self._entries
        if len(entries) >= self.size:
            self._held -= entries.popleft().held
        entries.append(entry)
        self._held += entry.held
        while self._held > MEMORY_BUDGET and len(entries) > 1:
            self._held -= entries.popleft().held

    def _write(self, entry: Entry) -> None:
        # The line is the redacted view, built now (~10 µs of CPU for a small request; the
        # write and the flush ~3 µs more). Flushed per entry, so the file is whole whenever a
        # CI job copies it (a flush to the OS, not an fsync: a mock needs no durability).
        if self._file is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("ab")
        self._file.write(orjson.dumps(entry.view()) + b"\n")
        self._file.flush()

    def newest_first(self) -> Iterator[Entry]:
        return reversed(self._entries)

    def views(self, keep: Filter | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for entry in self.newest_first():
            view = entry.view()
            if keep is None or keep(view):
                out.append(view)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def get(self, request_id: str) -> dict[str, Any] | None:
        for entry in self.newest_first():
            if entry.request_id == request_id:
                return entry.view()
        return None

    def clear(self) -> None:
        self._entries.clear()
        self._held = 0

    def __len__(self) -> int:
        return len(self._entries)


def iso_time(ts: float | None) -> str | None:
    return None if ts is None else _iso(ts)
