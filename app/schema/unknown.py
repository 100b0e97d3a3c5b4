"""Unknown request fields under ``SANDBOX_UNKNOWN_FIELDS=warn``: keys the generated schema does
not know (a client on a newer SDK than the sandbox) are taken out of the request, logged once
per path, and named on the answer, instead of the real API's 400 ``Extra inputs are not
permitted``.

Only the failure path pays: a request whose keys are all known is validated exactly as under
``reject``. When the schema refuses a body, the refusal's ``extra_forbidden`` errors say where
each unknown key is; they are removed from a copy of the body and the copy is validated again,
so every later stage sees a request the schema accepts. Any other error is reported as it would
be without the unknown keys. Measured (CPU, best of 25 batches): a known small body validates
in 1.6 µs and Claude Code's 115 kB request in ~140 µs under either mode; a body that needs
stripping costs ~11 µs (small) and ~450 µs (115 kB: a deep copy and a second validation).

Deliberate choice: only unknown *keys* are tolerated. An unknown ``type`` (a new block or tool
type) is still refused: dropping a block would change what the conversation says.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from pydantic import ValidationError

from .. import nesting
from ..journal.redaction import redact_text
from . import tags

__all__ = ["MODES", "UNKNOWN_FIELDS_HEADER", "Stripped", "UnknownFields"]

MODES = ("reject", "warn")
UNKNOWN_FIELDS_HEADER = "x-sandbox-unknown-fields"
"""Response header naming the fields taken out (``, ``-separated paths); the journal shows it."""
HEADER_CAP = 32
"""Paths named on one answer; a body with more gets the first ones and ``+N more``."""
LOG_CAP = 1000
"""Distinct paths logged per process; past that, one line says logging stopped."""

log = logging.getLogger("messages_sandbox")
_HIDDEN = tags.HIDDEN_TAG_PREFIX
_ROUNDS = 4  # removing keys never reveals new ones; the bound is only a guard


class Stripped(dict[str, Any]):
    """A validated request that had unknown fields taken out: ``unknown_fields`` names them
    with API-style paths (``messages.0.content.1.text.foo``)."""

    __slots__ = ("unknown_fields",)

    def __init__(self, validated: dict[str, Any], unknown_fields: Sequence[str]) -> None:
        super().__init__(validated)
        self.unknown_fields = tuple(unknown_fields)

    def header(self) -> str:
        """The ``x-sandbox-unknown-fields`` value: paths percent-escaped where they hold
        anything but letters, digits and ``._-*``, so any key survives a header."""
        shown = [_escape(p) for p in self.unknown_fields[:HEADER_CAP]]
        more = len(self.unknown_fields) - HEADER_CAP
        return ", ".join(shown + ([f"+{more} more"] if more > 0 else []))


class UnknownFields:
    """The ``warn`` policy: strips unknown keys, logs each path once per process."""

    def __init__(self) -> None:
        self._logged: set[str] = set()
        self._capped = False

    def strip(
        self,
        validate: Callable[[object], Any],
        obj: object,
        error: ValidationError,
        secrets: tuple[str, ...] = (),
    ) -> Stripped | None:
        """The request validated without its unknown keys, or None when the body has none
        (then ``error`` stands). A body still refused without them raises that refusal.
        ``secrets`` (the caller's key) are masked in the log, should a key name quote one."""
        if not _extras(error):
            return None
        # A copy: the caller's object may be shared (a batch's params). Through JSON, not
        # copy.deepcopy, which recurses: a body may nest as deep as the parser allows.
        obj = orjson.loads(nesting.dumps(obj))
        removed: list[str] = []
        for _ in range(_ROUNDS):
            extras = _extras(error)
            if not extras:
                break
            for loc in extras:
                key = str(loc[-1])  # an extra key is always a string: JSON object keys are
                holder = _holder(obj, loc[:-1], key)
                if holder is not None:
                    del holder[key]
                    removed.append(api_path(loc))
            try:
                result = validate(obj)
            except ValidationError as again:
                error = again
                continue
            self._log(removed, secrets)
            return Stripped(result, removed)
        self._log(removed, secrets)
        raise error

    def _log(self, paths: list[str], secrets: tuple[str, ...]) -> None:
        for path in paths:
            key = ".".join("*" if part.isdigit() else part for part in path.split("."))
            key = redact_text(key, secrets)
            if key in self._logged:
                continue
            if len(self._logged) >= LOG_CAP:
                if not self._capped:
                    self._capped = True
                    log.warning("over %d unknown field paths: no longer logging new ones", LOG_CAP)
                continue
            self._logged.add(key)
            log.warning(
                "unknown request field %s taken out and the request answered "
                "(SANDBOX_UNKNOWN_FIELDS=warn; logged once per path): the sandbox's schema "
                "may be behind the client's SDK, see `make sdk-check`",
                key,
            )


def _extras(error: ValidationError) -> list[tuple[int | str, ...]]:
    return [e["loc"] for e in error.errors(include_url=False) if e["type"] == "extra_forbidden"]


def api_path(loc: Sequence[int | str]) -> str:
    """The path the real API would name: hidden tags (roles, JSON kinds) left out."""
    last = len(loc) - 1
    return ".".join(
        str(part)
        for i, part in enumerate(loc)
        if not (isinstance(part, str) and part.startswith(_HIDDEN) and i != last)
    )


def _holder(node: object, loc: Sequence[int | str], key: str) -> dict[str, Any] | None:
    """The object under ``node`` that holds ``key``, found along a pydantic ``loc``.

    A ``loc`` mixes keys, indexes and union tags (``messages, 0, ~user, content, ~list, 0,
    text, foo``): a hidden tag is skipped; a part that is both a key of the object and its
    ``type`` tag is tried as a key first, then as the tag.
    """
    if not loc:
        return node if isinstance(node, dict) and key in node else None
    head, rest = loc[0], loc[1:]
    if isinstance(head, str) and head.startswith(_HIDDEN):
        return _holder(node, rest, key)
    if isinstance(node, list):
        if isinstance(head, int) and 0 <= head < len(node):
            return _holder(node[head], rest, key)
        return None
    if not isinstance(node, dict):
        return None
    if head in node:
        found = _holder(node[head], rest, key)
        if found is not None:
            return found
    tag = node.get("type")
    if head == tag or (head == "custom" and tag is None):
        return _holder(node, rest, key)
    return None


def _escape(path: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-*") else _pct(c) for c in path)


def _pct(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))
