"""What a recording may keep: secrets become ``<redacted>`` before anything is written.

Recorded rules never hold headers, so the API key, ``authorization`` and cookies cannot reach
a file that way; what remains is text. Every string of a recorded request and reply is
scrubbed of:
- the credentials the request presented (its API key or bearer token), wherever they appear
  (a prompt quoting the key, a model echoing it);
- values of fields named like a secret (``authorization_token``, ``api_key``, ``password``...:
  the journal's own rules, ``journal.redaction.secret_field``);
- whatever the user's ``--redact REGEX`` patterns match.

Deliberate choice: always the bare ``<redacted>`` (the journal shows a key's last four
characters to tell keys apart; a fixture has no use for them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import nesting
from ..journal.redaction import credentials_in, secret_field
from ..nesting import KEEP

REDACTED = "<redacted>"


class Redactor:
    def __init__(self, patterns: Sequence[str] = ()) -> None:
        """``patterns``: Python regular expressions (``re.error`` for a bad one)."""
        self.patterns = tuple(re.compile(p) for p in patterns)

    def secrets(self, headers: Mapping[str, str]) -> tuple[str, ...]:
        """The credentials a request presented (header names in any case)."""
        return credentials_in({k.lower(): v for k, v in headers.items()})

    def scrub(self, value: Any, secrets: Iterable[str] = ()) -> Any:
        """A copy of the JSON value ``value`` with every secret replaced."""
        return self._walk(value, tuple(secrets))

    def _walk(self, value: Any, secrets: tuple[str, ...]) -> Any:
        # Without recursion: a recorded request may nest as deep as the JSON parser allows.
        return nesting.rebuild(
            value,
            leaf=lambda v: self.text(v, secrets) if isinstance(v, str) else v,
            # The key itself may be a dict key (a tool input); ``--redact`` patterns are for
            # text and would break field names (``z*`` in ``authorization_token``).
            key=lambda k: _without(k, secrets),
            item=lambda k, v: REDACTED if isinstance(v, str) and secret_field(k) else KEEP,
        )

    def text(self, text: str, secrets: Iterable[str] = ()) -> str:
        text = _without(text, secrets)
        for pattern in self.patterns:
            # An empty match (``a*`` between two letters) hides nothing: leave it.
            text = pattern.sub(lambda m: REDACTED if m.group() else "", text)
        return text


def _without(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text
