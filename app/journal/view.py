"""What a journal entry shows: the redacted, JSON-able view of one ``journal.Record``, and the
filters of ``GET /_sandbox/requests``.

A view is made when somebody reads the journal, never when a request is recorded: redaction
(``journal.redaction``), header decoding and body parsing cost nothing on a request's path.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlencode

import orjson

from ..headers import SESSION_HEADER, session_name
from ..nesting import ORJSON_DEPTH
from .records import message_of
from .redaction import (
    credentials_in,
    may_hold_secrets,
    redact_headers,
    redact_pairs,
    redact_text,
    redact_value,
)

if TYPE_CHECKING:
    from . import Record

_SHOWN_DEPTH = ORJSON_DEPTH - 3
"""Bodies nested deeper are shown as their size and sha256 (``TOO_DEEP``): a listing holds
a body three levels down (``{"data": [{"body": ...}]}``) and orjson writes no deeper."""
TOO_DEEP = f"The body nests deeper than {_SHOWN_DEPTH} levels: shown as its size and sha256."


def view(record: Record, epoch: float) -> dict[str, Any]:
    """``record`` as ``GET /_sandbox/requests`` shows it (``epoch``: see ``Journal``)."""
    headers = _decoded(record.headers)
    secrets = credentials_in(headers)
    answer = record.answer
    body, parsed = _body(record.body, secrets)
    if record.digest is not None:
        size: int | None = record.digest[0]
    else:
        size = None if record.body is None else len(record.body)
    shown: dict[str, Any] = {
        "id": record.request_id,
        "time": _iso(epoch + record.started),
        "method": record.method,
        "path": redact_text(record.path, secrets),
        "query": _query(record.query, secrets),
        "headers": redact_headers(headers, secrets),
        "body": body,
        "body_size": size,
    }
    if body is None and size is not None:
        # A body over the cap was hashed as it came; a kept body that is not JSON is now.
        sha = record.digest[1] if record.digest else hashlib.sha256(record.body or b"").hexdigest()
        shown["body_sha256"] = sha
        if parsed is not None:
            shown["body_note"] = TOO_DEEP
    shown.update(
        status=record.status,
        stream=_streamed(parsed, record.content_type),
        complete=record.complete,
        duration_ms=round((record.finished - record.started) * 1000, 3),
        rule=answer.get("x-sandbox-rule"),
        # Deliberate choice: a session named like the caller's key shows masked too.
        session=redact_text(session_name(headers.get(SESSION_HEADER, "")) or "", secrets) or None,
        step=answer.get("x-sandbox-step"),
        error=_error(record.error or b"", secrets),
        # The Message the app received (issue #12), masked like the request body.
        response=None if record.message is None else redact_value(message_of(record), secrets),
    )
    unknown = answer.get("x-sandbox-unknown-fields")
    if unknown:  # keys SANDBOX_UNKNOWN_FIELDS=warn took out of the request
        shown["unknown_fields"] = [redact_text(unquote(p), secrets) for p in unknown.split(", ")]
    return shown


def session_of(record: Record) -> str | None:
    """The session ``record`` belongs to (None: outside any session)."""
    return session_name(_decoded(record.headers).get(SESSION_HEADER, ""))


def _decoded(packed: bytes) -> dict[str, str]:
    pairs = (line.split(b":", 1) for line in packed.split(b"\n") if line)
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in pairs}


def _body(raw: bytes | None, secrets: tuple[str, ...]) -> tuple[Any, Any]:
    """(the redacted body to show, the parsed body) — both None unless it is JSON; the body
    to show is None when the body nests too deeply to be shown (``TOO_DEEP``)."""
    if not raw or raw.lstrip()[:1] not in (b"{", b"["):
        return None, None
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None, None
    if _too_deep(raw, parsed):
        return None, parsed
    if not may_hold_secrets(raw, secrets):
        return parsed, parsed
    return redact_value(parsed, secrets), parsed


def _too_deep(raw: bytes, parsed: Any) -> bool:
    """Whether ``parsed`` nests deeper than ``_SHOWN_DEPTH``."""
    if raw.count(b"{") + raw.count(b"[") <= _SHOWN_DEPTH:
        return False  # fewer containers than that cannot nest that deep (the usual case)
    try:
        orjson.dumps([[[parsed]]])
    except orjson.JSONEncodeError:
        return True
    return False


def _streamed(body: Any, content_type: bytes) -> bool:
    if content_type.startswith(b"text/event-stream"):
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
    shown: dict[str, Any] = redact_value(
        {"type": error.get("type"), "message": error.get("message")}, secrets
    )
    return shown


def _query(raw: bytes, secrets: tuple[str, ...]) -> str:
    if not raw:
        return ""
    text = raw.decode("latin-1")
    pairs = parse_qsl(text, keep_blank_values=True)
    redacted = redact_pairs(pairs, secrets)
    # The raw text too: a secret in a part ``parse_qsl`` does not read as a pair stays hidden.
    return redact_text(text, secrets) if redacted == pairs else urlencode(redacted)


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts * 1000) % 1000:03d}Z"


NO_RULE = "none"
"""``?rule=none``: the entries no fixture rule answered."""
_MESSAGES = "/v1/messages"
STRICT_MISS = "No fixture rule matched"


def unmatched(view: dict[str, Any]) -> bool:
    """A ``POST /v1/messages`` no fixture rule answered: the default responder's reply, or
    strict mode's refusal (both went through matching; a 400 for a malformed request did not)."""
    if view["rule"] is not None or view["path"] != _MESSAGES or view["method"] != "POST":
        return False
    if view["status"] == 200:
        return True
    error = view["error"] or {}
    return str(error.get("message") or "").startswith(STRICT_MISS)


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
        if self.rule is not None and not (
            unmatched(view) if self.rule == NO_RULE else view["rule"] == self.rule
        ):
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


def iso_time(ts: float | None) -> str | None:
    return None if ts is None else _iso(ts)
