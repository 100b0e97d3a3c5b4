"""A journal entry as a fixture rule: ``GET /_sandbox/requests/{id}/fixture``.

The same ``exchange_rule`` as the recorder, fed from what the journal kept: the request
body, and the Message the app received (or the error it got). The YAML is a whole fixture
file, ready to save under the fixtures directory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from ..errors import InvalidRequestError
from ..journal import Record, message_of
from ..journal.view import iso_time
from ..schema import ValidationFailed
from .document import render
from .exchange import RETRY_HEADERS, Exchange, UpstreamError, exchange_rule
from .recording import slug
from .redact import Redactor

_REDACTOR = Redactor()


def entry_fixture(
    record: Record, epoch: float, validate: Callable[..., object] | None = None
) -> str:
    """The rule answering ``record``'s request as it was answered (``epoch``: the journal's,
    for the entry's wall-clock time; ``validate``: the request schema's validator). Raises
    ``InvalidRequestError`` for an entry that cannot become one, saying why."""
    if record.method != "POST" or record.path != "/v1/messages":
        raise InvalidRequestError(
            f"Only POST /v1/messages entries become fixture rules; this one is "
            f"{record.method} {record.path}."
        )
    request = _request(record)
    if validate is not None:
        # A body the schema refuses never reached the rules (any shape at all may be in it):
        # no rule can answer it, and the rule builder reads only validated shapes.
        beta = b"\nanthropic-beta:" in b"\n" + record.headers or b"beta=true" in record.query
        try:
            validate(record.body, beta=beta)
        except ValidationFailed as exc:
            raise InvalidRequestError(
                f"This entry's request was refused before any rule could see it "
                f"({exc.message}), so no rule can answer it."
            ) from None
    headers = dict(line.split(b":", 1) for line in record.headers.split(b"\n") if b":" in line)
    secrets = _REDACTOR.secrets(
        {k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items()}
    )
    answer: dict[str, Any] | UpstreamError
    if record.message is not None:
        answer = _REDACTOR.scrub(message_of(record), secrets)
    elif record.error is not None and record.status is not None and record.status >= 400:
        error = UpstreamError.of(
            record.status,
            record.error,
            {k: v for k, v in record.answer.items() if k in RETRY_HEADERS},
        )
        if error is None:
            raise InvalidRequestError("This entry's error is not in Anthropic's envelope.")
        answer = UpstreamError(
            error.status,
            error.type,
            _REDACTOR.text(error.message, secrets),
            error.headers,
            error.error_code,
        )
    else:
        raise InvalidRequestError(
            "This entry kept no answer to turn into a rule (the stream ended with an error "
            "event or was cut short)."
        )
    exchange = Exchange(
        request=_REDACTOR.scrub(request, secrets),
        answer=answer,
        request_id=record.request_id,
        at=epoch + record.started,
    )
    rule = exchange_rule(exchange, rule_id=f"{slug(exchange)}-{record.request_id[-8:]}")
    when = iso_time(epoch + record.started)
    rule.notes.insert(0, f"from journal entry {record.request_id} ({when})")
    header = ["A rule answering this request as the sandbox did; save it under your fixtures."]
    return render(header, [rule])


def _request(record: Record) -> dict[str, Any]:
    if record.body is None:
        raise InvalidRequestError(
            "This entry kept no request body (over the journal's 1 MB cap, or never read)."
        )
    try:
        request = orjson.loads(record.body)
    except orjson.JSONDecodeError:
        request = None
    if not isinstance(request, dict):
        raise InvalidRequestError("This entry's request body is not a JSON object.")
    return request
