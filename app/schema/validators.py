"""Request-body validators: raw JSON bytes -> plain ``dict``, or ``ValidationFailed`` worded like
the real API (``messages.0.content.1.image.source.base64.media_type: Input should be ...``).

``RequestValidators`` builds the four request schemas (messages and count_tokens, GA and beta)
each on its first use, from their compiled form (``core.json``: a few milliseconds, where
compiling the generated TypedDicts takes pydantic a third of a second).

A body is parsed once, by orjson, and the objects are validated by pydantic-core. That takes
half the time of ``TypeAdapter.validate_json`` on Claude Code's 115 kB request (180 vs 320 µs of
CPU; ~2 µs either way for a small one), and it behaves like the real API, whose JSON errors are
orjson's (``The request body is not valid JSON: unexpected character: line 8 column 316 (char
466)``, seen in the field): NaN / Infinity are refused (pydantic's parser accepts them), and
schema messages say "a valid list" / "a valid dictionary", as pydantic words Python input (JSON
input would read "a valid array" / "an object").

Exceptions::

    ValidationFailed        a body the real API refuses with 400 invalid_request_error
    └── MalformedJson       the body is not JSON at all
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from pydantic_core import ErrorDetails, SchemaValidator, ValidationError

from .. import nesting
from . import core, tags
from .legacy import LegacyConflict, upgrade_beta
from .unknown import MODES, UnknownFields

__all__ = ["MalformedJson", "RequestValidators", "ValidationFailed"]


class ValidationFailed(Exception):
    """The request body breaks the schema; ``message`` is the API's ``error.message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedJson(ValidationFailed):
    """The request body does not parse as JSON."""


class RequestValidators:
    """The compiled request schemas, shared; each is compiled on its first use (~2 ms from
    ``core.json``, read once: ~4 ms), so a start-up pays for none of them and a server that
    never sees a beta or count_tokens request never compiles theirs.

    ``unknown_fields="warn"``: a body refused only for keys the schema does not know is
    answered without them (``unknown.Stripped`` names them); ``"reject"`` refuses it, as the
    real API does.
    """

    def __init__(self, unknown_fields: str = "reject") -> None:
        if unknown_fields not in MODES:
            raise ValueError(f"unknown_fields: {unknown_fields!r} is not one of {MODES}")
        self._unknown = UnknownFields() if unknown_fields == "warn" else None
        self.warns = self._unknown is not None
        """Whether a body may be answered without its unknown keys, which are then logged
        (the caller's key is scrubbed from that log: ``secrets``)."""
        self._schemas: dict[str, Any] | None = None
        self._messages: dict[bool, Validate] = {}
        self._known_tools = {False: KnownTools(), True: KnownTools()}
        self._count_tokens: dict[bool, Validate] = {}

    def messages(self, body: bytes, *, beta: bool, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
        """A ``POST /v1/messages`` body; ``beta`` when the request carries ``anthropic-beta``;
        ``secrets``: the caller's key, never logged (warn mode logs unknown key names)."""
        validate = self._messages.get(beta) or self._compile(self._messages, beta, _MESSAGES)
        # ``_parse`` and ``_validate`` inlined for the usual body (no beta, no tools, no
        # unknown-fields policy): two calls fewer (validating a small body 24.1 K -> 23.2 K
        # instructions, callgrind).
        try:
            obj = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise MalformedJson(f"The request body is not valid JSON: {exc}") from None
        if self._unknown is None:
            if type(obj) is dict and obj.get("tools"):
                return self._known_tools[beta].validate(validate, obj, beta)
            if not beta:
                try:
                    result: dict[str, Any] = validate(obj)
                except ValidationError as exc:
                    raise ValidationFailed(_first_message(exc)) from None
                return result
        return _validate(validate, obj, self._unknown, beta, secrets)

    def tool_json(self, request: Mapping[str, Any]) -> list[bytes] | None:
        """``RequestView.tool_json`` of a request whose tools all came from ``KnownTools``
        (a body ``messages`` validated): the JSON made once for them; else None."""
        tools = request.get("tools")
        if not tools:
            return None
        known = self._known_tools
        return known[False].tool_json(tools) or known[True].tool_json(tools)

    def count_tokens(
        self, body: bytes, *, beta: bool, secrets: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """A ``POST /v1/messages/count_tokens`` body."""
        validate = self._count_tokens.get(beta) or self._compile(
            self._count_tokens, beta, _COUNT_TOKENS
        )
        return _validate(validate, _parse(body), self._unknown, beta, secrets)

    def messages_params(
        self, obj: dict[str, Any], *, beta: bool, secrets: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """Already-parsed messages params (a batch request's ``params``)."""
        validate = self._messages.get(beta) or self._compile(self._messages, beta, _MESSAGES)
        return _validate(validate, obj, self._unknown, beta, secrets)

    def _compile(self, into: dict[bool, Validate], beta: bool, roots: dict[bool, str]) -> Validate:
        # Two first requests at once may both compile it: the same validator, kept once.
        if self._schemas is None:
            self._schemas = _schemas()
        validate = into[beta] = _compiled(self._schemas, roots[beta])
        return validate


class KnownTools:
    """The tools the schema has accepted, by the JSON they came as: a body whose tools are all
    known has only the rest validated and is given the tools as validated the first time.
    Clients send the same tools with every turn (Claude Code: 25 tools, 51 KB of schemas,
    ~28 µs of the ~90 µs of validating a turn; bench/results.md). Exact: the same JSON is the
    same parsed value, which validates to the same value, and the request schema has no rule
    across fields, so a known tool adds no error; a ``tools`` of ``[]`` in their place keeps
    the order of the fields (and so which error is the first). ``tests/test_known_tools.py``
    checks that both paths agree.

    The validated tools and their JSON (``nesting.dumps``, what ``RequestView.tool_json``
    makes) are shared by every request that sends them: the JSON's hash is then computed
    once, not per request, by the memos keyed by it (token count, schema check, prompt
    cache, seed). Deliberate choice: nothing downstream changes a request (it is read
    only), which sharing relies on."""

    __slots__ = ("by_id", "held", "known", "recent")

    MAX_BYTES = 8 * 1024 * 1024
    """Of tools' JSON (as sent and as validated) held: a few hundred clients' tool sets
    (Claude Code's are ~51 KB), and a bound a client sending ever new tools cannot pass."""
    MAX_TOOL = 64 * 1024
    """A bigger tool is validated each time."""
    RECENT, MAX_RECENT = 4, 1024 * 1024

    def __init__(self) -> None:
        self.known: dict[bytes, _Entry] = {}
        self.held = 0
        """Bytes of JSON in ``known`` (both forms)."""
        self.by_id: dict[int, _Entry] = {}
        """The same entries by the validated tool's ``id`` (the entry keeps it alive)."""
        self.recent: tuple[tuple[bytes, list[_Entry]], ...] = ()
        """The last few sets of tools (the JSON of the list) and their entries: a turn of a
        client seen lately costs one serialisation and one comparison of bytes, where one
        JSON per tool and the dict lookups (hashing each new JSON) cost three times that."""

    def validate(self, validate: Validate, obj: dict[str, Any], beta: bool) -> dict[str, Any]:
        tools = obj.get("tools")
        if type(tools) is not list or not tools or not all(type(t) is dict for t in tools):
            return _validate(validate, obj, None, beta)
        whole = nesting.dumps(tools)
        entries = next((known for sent, known in self.recent if sent == whole), None)
        if entries is None:
            sent = [nesting.dumps(t) for t in tools]
            entries = self._entries(sent, whole)
            if entries is None:
                result = _validate(validate, obj, None, beta)
                self._learn(sent, result.get("tools"))
                return result
        rest = dict(obj)
        rest["tools"] = []
        result = _validate(validate, rest, None, beta)
        result["tools"] = [entry[0] for entry in entries]
        return result

    def _entries(self, sent: list[bytes], whole: bytes) -> list[_Entry] | None:
        """Each tool's entry when every one is known (the set is then one of the recent)."""
        known = self.known
        if not all(raw in known for raw in sent):
            return None
        entries = [known[raw] for raw in sent]
        if len(whole) <= self.MAX_RECENT:
            self.recent = ((whole, entries), *self.recent[: self.RECENT - 1])
        return entries

    def tool_json(self, tools: Any) -> list[bytes] | None:
        """Each tool's JSON when every one of ``tools`` came from here, else None."""
        if type(tools) is not list or not tools:
            return None
        out: list[bytes] = []
        by_id = self.by_id
        for tool in tools:
            entry = by_id.get(id(tool))
            if entry is None or entry[0] is not tool:
                return None
            out.append(entry[1])
        return out

    def _learn(self, sent: list[bytes], validated: Any) -> None:
        if type(validated) is not list or len(validated) != len(sent):
            return
        known = self.known
        for raw, tool in zip(sent, validated, strict=True):
            if len(raw) > self.MAX_TOOL or raw in known or type(tool) is not dict:
                continue
            entry = (tool, nesting.dumps(tool))
            size = len(raw) + len(entry[1])
            if self.held + size > self.MAX_BYTES:
                # Deliberate choice: forget all rather than track age (a client has a few
                # dozen tools; thousands of distinct ones is a test suite or a fuzzer).
                known.clear()
                self.by_id.clear()
                self.recent = ()
                self.held = 0
            known[raw] = entry
            self.by_id[id(tool)] = entry
            self.held += size


_Entry = tuple[dict[str, Any], bytes]
"""A known tool: as validated, and its JSON."""

_MESSAGES = {False: "MessageCreateParams", True: "BetaMessageCreateParams"}
_COUNT_TOKENS = {False: "MessageCountTokensParams", True: "BetaMessageCountTokensParams"}

Validate = Callable[[object], Any]


def _schemas() -> dict[str, Any]:
    """The roots' core schemas from ``core.json``; empty when this pydantic-core cannot read
    it (``_compiled`` then compiles the generated TypedDicts)."""
    try:
        return core.load()
    except Exception as exc:
        _unusable(exc)
        return {}


def _compiled(schemas: dict[str, Any], name: str) -> Validate:
    """The root's pydantic-core ``validate_python`` (``TypeAdapter.validate_python`` only
    forwards its default options to it, at ~0.3 µs a call on every request)."""
    if name in schemas:
        try:
            return SchemaValidator(schemas[name]).validate_python
        except Exception as exc:  # a core.json this pydantic-core cannot read
            _unusable(exc)
            schemas.clear()
    # Slower but always right: compile the generated TypedDicts (``make schema`` then
    # refreshes core.json; a test fails while it is stale).
    from pydantic import TypeAdapter

    from . import generated

    return TypeAdapter(getattr(generated, name)).validator.validate_python


def _unusable(exc: Exception) -> None:
    logging.getLogger("messages_sandbox").warning(
        "schema/core.json unusable (%s): compiling the request schema instead", exc
    )


def _parse(body: bytes) -> object:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedJson(f"The request body is not valid JSON: {exc}") from None


def _validate(
    validate: Validate,
    obj: object,
    unknown: UnknownFields | None,
    beta: bool = False,
    secrets: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A new plain dict (values normalised: "16" -> 16), or ValidationFailed for the first error.

    Beta bodies first get older SDKs' field shapes moved to today's (``legacy``). With an
    ``unknown`` policy (warn mode), a refused body is retried without its unknown keys."""
    try:
        if beta:
            obj = upgrade_beta(obj)
        result: dict[str, Any] = validate(obj)
    except LegacyConflict as exc:
        raise ValidationFailed(str(exc)) from None
    except ValidationError as exc:
        if unknown is None:
            raise ValidationFailed(_first_message(exc)) from None
        try:
            stripped = unknown.strip(validate, obj, exc, secrets)
        except ValidationError as still:
            raise ValidationFailed(_first_message(still)) from None
        if stripped is None:
            raise ValidationFailed(_first_message(exc)) from None
        return stripped
    return result


def _first_message(exc: ValidationError) -> str:
    loc, msg = _describe(exc.errors(include_url=False)[0])
    path = ".".join(str(part) for part in loc)
    return f"{path}: {msg}" if path else msg


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _describe(err: ErrorDetails) -> tuple[list[int | str], str]:
    """(API-style path, message) for one pydantic error."""
    loc = list(err["loc"])
    # Hidden tags (message roles, JSON kinds) are not part of the API's paths. An extra key is
    # the caller's own and stays, whatever it looks like.
    keep_last = err["type"] == "extra_forbidden"
    path = [
        part
        for i, part in enumerate(loc)
        if not (
            isinstance(part, str)
            and part.startswith(tags.HIDDEN_TAG_PREFIX)
            and not (keep_last and i == len(loc) - 1)
        )
    ]
    ctx = err.get("ctx") or {}
    key = tags.DISCRIMINATOR_KEYS.get(str(ctx.get("discriminator")))
    if key is None:
        if not path and err["type"] == "dict_type":
            return [], "The request body is not a JSON object"
        return path, err["msg"]
    value = err.get("input")
    if err["type"] == "union_tag_not_found":  # not an object, or no usable tag in it
        if not isinstance(value, dict):
            return path, "Input should be a valid dictionary"
        if key not in value:
            return [*path, key], "Field required"
        return [*path, key], "Input should be a valid string"
    # union_tag_invalid: pydantic names our tag function, the API names the key.
    expected = _QUOTED.findall(str(ctx.get("expected_tags", "")))
    hidden = [t for t in expected if t.startswith(tags.HIDDEN_TAG_PREFIX)]
    if hidden:  # a role: reported as the literal field it is
        options = [repr(t.removeprefix(tags.HIDDEN_TAG_PREFIX)) for t in hidden]
        joined = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
        return [*path, key], f"Input should be {joined}"
    listed = ", ".join(f"'{t}'" for t in expected)
    return path, (
        f"Input tag '{ctx.get('tag')}' found using '{key}' does not match any of the expected "
        f"tags: {listed}"
    )
