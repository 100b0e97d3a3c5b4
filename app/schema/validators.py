"""Request-body validators: raw JSON bytes -> plain ``dict``, or ``ValidationFailed`` worded like
the real API (``messages.0.content.1.image.source.base64.media_type: Input should be ...``).

``RequestValidators`` compiles the four generated request schemas (messages and count_tokens, GA
and beta) once, at app start-up; validation then runs in pydantic-core straight from the bytes.

Exceptions::

    ValidationFailed        a body the real API refuses with 400 invalid_request_error
    └── MalformedJson       the body is not JSON at all
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from . import generated

__all__ = ["MalformedJson", "RequestValidators", "ValidationFailed"]


class ValidationFailed(Exception):
    """The request body breaks the schema; ``message`` is the API's ``error.message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedJson(ValidationFailed):
    """The request body does not parse as JSON."""


class RequestValidators:
    """The compiled request schemas. Build once (tens of ms), share across requests."""

    def __init__(self) -> None:
        self._messages: dict[bool, TypeAdapter[Any]] = {
            False: TypeAdapter(generated.MessageCreateParams),
            True: TypeAdapter(generated.BetaMessageCreateParams),
        }
        self._count_tokens: dict[bool, TypeAdapter[Any]] = {
            False: TypeAdapter(generated.MessageCountTokensParams),
            True: TypeAdapter(generated.BetaMessageCountTokensParams),
        }

    def messages(self, body: bytes, *, beta: bool) -> dict[str, Any]:
        """A ``POST /v1/messages`` body; ``beta`` when the request carries ``anthropic-beta``."""
        return _from_json(self._messages[beta], body)

    def count_tokens(self, body: bytes, *, beta: bool) -> dict[str, Any]:
        """A ``POST /v1/messages/count_tokens`` body."""
        return _from_json(self._count_tokens[beta], body)

    def messages_params(self, obj: dict[str, Any], *, beta: bool) -> dict[str, Any]:
        """Already-parsed messages params (a batch request's ``params``)."""
        try:
            return self._messages[beta].validate_python(obj)  # type: ignore[no-any-return]
        except ValidationError as exc:
            raise ValidationFailed(_first_message(exc)) from None


def _from_json(adapter: TypeAdapter[Any], body: bytes) -> dict[str, Any]:
    try:
        result: dict[str, Any] = adapter.validate_json(body)
    except ValidationError as exc:
        if exc.errors(include_url=False)[0]["type"] == "json_invalid":
            raise MalformedJson(_json_error(body) or "The request body is not valid JSON") from None
        _reject_non_standard_json(body)
        raise ValidationFailed(_first_message(exc)) from None
    _reject_non_standard_json(body)
    return result


def _reject_non_standard_json(body: bytes) -> None:
    """pydantic's parser accepts NaN and Infinity; the real API's parser does not.

    The substring test is a fast scan; the strict parse runs only on a hit (text saying "NaN").
    """
    if b"NaN" in body or b"Infinity" in body:
        message = _json_error(body)
        if message:
            raise MalformedJson(message)


def _json_error(body: bytes) -> str:
    """The API's wording for unparseable JSON ("" if it parses): its parser's reason, which reads
    like orjson's (``unexpected character: line 8 column 316 (char 466)``, seen in the field)."""
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return f"The request body is not valid JSON: {exc}"
    return ""


# Validating JSON, pydantic says "a valid array" / "an object"; the API parses first and validates
# Python objects, so it words these like validate_python does (and so do batch params here).
_PYTHON_WORDING = {
    "list_type": "Input should be a valid list",
    "dict_type": "Input should be a valid dictionary",
}

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _first_message(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc, msg = _describe(err)
    path = ".".join(str(part) for part in loc)
    return f"{path}: {msg}" if path else msg


def _describe(err: ErrorDetails) -> tuple[list[int | str], str]:
    """(API-style path, message) for one pydantic error."""
    loc = list(err["loc"])
    keep_last = err["type"] == "extra_forbidden"  # the last part is the caller's key, keep it
    path = [
        part
        for i, part in enumerate(loc)
        if not (
            isinstance(part, str)
            and part.startswith(generated.HIDDEN_TAG_PREFIX)
            and not (keep_last and i == len(loc) - 1)
        )
    ]
    msg = _PYTHON_WORDING.get(err["type"], err["msg"])
    ctx = err.get("ctx") or {}
    key = generated.DISCRIMINATOR_KEYS.get(str(ctx.get("discriminator")))
    if key is None:
        if not path and err["type"] in ("dict_type", "model_type"):
            return [], "The request body is not a JSON object"
        return path, msg
    value = err.get("input")
    if err["type"] == "union_tag_not_found":  # not an object, or no usable tag in it
        if not isinstance(value, dict):
            return path, "Input should be a valid dictionary"
        if key not in value:
            return [*path, key], "Field required"
        return [*path, key], "Input should be a valid string"
    # union_tag_invalid: pydantic names our tag function; the API names the key.
    expected = _QUOTED.findall(str(ctx.get("expected_tags", "")))
    hidden = [t for t in expected if t.startswith(generated.HIDDEN_TAG_PREFIX)]
    if hidden:  # e.g. role: reported as the literal field it is, tags stay out of the path
        options = [repr(t.removeprefix(generated.HIDDEN_TAG_PREFIX)) for t in hidden]
        joined = options[0] if len(options) == 1 else ", ".join(options[:-1]) + " or " + options[-1]
        return [*path, key], f"Input should be {joined}"
    tags = ", ".join(f"'{t}'" for t in expected)
    return path, (
        f"Input tag '{ctx.get('tag')}' found using '{key}' does not match any of the expected "
        f"tags: {tags}"
    )
