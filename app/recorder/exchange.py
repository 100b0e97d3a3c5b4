"""One exchange (a request and what answered it) as one fixture rule: ``exchange_rule``.

The recorder and the journal's ``/fixture`` route both call it, so a rule recorded from the
real API and a rule taken from a journal entry have the same shape:

- ``match``: see ``recorder.match``;
- ``reply``: the exact content blocks (text with citations, tool_use with its input and id,
  thinking with its signature, redacted_thinking, server tool blocks), ``stop_reason``,
  ``stop_sequence``, ``stop_details``, the whole ``usage`` and the answering ``model`` when
  it differs from the requested one; ``apply_limits: false`` pins it as recorded (and a
  ``null`` for each usage key the sandbox would add, which leaves it out);
- ``error``: type, status, message, ``error_code`` and the retry headers;
- ``stream``: the pacing of a streamed answer.

Every recorded string is data, never a template: one that holds ``{{`` or ``{%`` is wrapped
in ``{% raw %}`` so the loader's Jinja2 gives it back unchanged. Keys the fixture format has
no place for (``caller`` on a tool_use, beta blocks) are left out and listed in the rule's
comment, so the recording always loads.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..fixtures.strict import Strict
from ..message.build import Usage, build_message
from ..message.kinds import KINDS
from ..message.reply import Reply
from .match import base_match

Message = dict[str, Any]

RETRY_HEADERS = ("retry-after", "retry-after-ms", "x-should-retry")
"""The response headers an error rule keeps: what a client's retry logic reads."""

# The keys a fixture may write for each kind (the registry's fixture models); the kinds whose
# model takes any key (server-tool results) are passed through as they came.
_BLOCK_KEYS: dict[str, frozenset[str]] = {
    name: kind.fixture.allowed_keys
    for name, kind in KINDS.items()
    if issubclass(kind.fixture, Strict)
}
_PASSED_THROUGH = frozenset(name for name in KINDS if name not in _BLOCK_KEYS)


@dataclass(frozen=True)
class UpstreamError:
    """An error answer in Anthropic's envelope."""

    status: int
    type: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)
    """Only ``RETRY_HEADERS``."""
    error_code: str | None = None

    @classmethod
    def of(cls, status: int, body: bytes, headers: Mapping[str, str]) -> UpstreamError | None:
        """From an error response; None when the body is not Anthropic's envelope."""
        try:
            error = orjson.loads(body).get("error")
        except (orjson.JSONDecodeError, AttributeError):
            return None
        if not isinstance(error, dict) or not isinstance(error.get("type"), str):
            return None
        details = error.get("details")
        code = details.get("error_code") if isinstance(details, dict) else None
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(
            status=status,
            type=error["type"],
            message=str(error.get("message") or ""),
            headers={k: lowered[k] for k in RETRY_HEADERS if k in lowered},
            error_code=code if isinstance(code, str) else None,
        )


@dataclass(frozen=True)
class Exchange:
    """A ``POST /v1/messages`` request (its JSON body, secrets already scrubbed) and its
    answer: the Message, or an error."""

    request: Mapping[str, Any]
    answer: Message | UpstreamError
    request_id: str | None = None
    """The answering server's ``request-id``."""
    at: float = 0.0
    """Wall-clock time of the answer."""
    stream: Mapping[str, float] = field(default_factory=dict)
    """Pacing of a streamed answer (``first_token_ms``, ``tokens_per_second``)."""


@dataclass
class Rule:
    """A rule as plain data, and what a reader of the YAML should know about it."""

    body: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def exchange_rule(
    exchange: Exchange, *, rule_id: str, match: Mapping[str, Any] | None = None
) -> Rule:
    """The fixture rule answering ``exchange.request`` as it was answered.

    ``match`` defaults to the facts that name the request on its own (``base_match``); the
    recorder passes a richer one when other recorded requests share those facts."""
    action, notes = action_of(exchange)
    body: dict[str, Any] = {
        "id": rule_id,
        "match": dict(match) if match is not None else base_match(exchange.request),
    }
    body.update(action)
    return Rule(body, notes)


def action_of(exchange: Exchange) -> tuple[dict[str, Any], list[str]]:
    """``{reply: ...}`` or ``{error: ...}``, with ``stream:`` when paced (also a script step)."""
    notes: list[str] = []
    answer = exchange.answer
    if isinstance(answer, UpstreamError):
        action: dict[str, Any] = {"error": error_of(answer)}
    else:
        action = {"reply": reply_of(answer, exchange.request, notes)}
        if exchange.stream:
            action["stream"] = dict(exchange.stream)
    return action, notes


def reply_of(message: Message, request: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    content = []
    for i, block in enumerate(message.get("content") or ()):
        kept = _block(block, f"content.{i}", notes)
        if kept is not None:
            content.append(kept)
    reply: dict[str, Any] = {}
    if len(content) == 1 and content[0]["type"] == "text" and set(content[0]) == {"type", "text"}:
        reply["text"] = content[0]["text"]
    else:
        reply["content"] = content
    reply["stop_reason"] = message.get("stop_reason")
    for key in ("stop_sequence", "stop_details"):
        if message.get(key) is not None:
            reply[key] = message[key]
    reply["usage"] = _usage(message, request)
    if message.get("model") and message["model"] != request.get("model"):
        reply["model"] = message["model"]
    # Recorded as it came: the request's stop_sequences / max_tokens already applied.
    reply["apply_limits"] = False
    if message.get("container") is not None:
        notes.append("container: not in the fixture format, left out")
    return reply


def _usage(message: Message, request: Mapping[str, Any]) -> dict[str, Any]:
    """The upstream's usage, plus a null for each key the sandbox's builder would add to it
    on replay (a null leaves the key out): the replay's usage is the recorded one."""
    usage = dict(message.get("usage") or {})
    # Only the kinds the fixture keeps: the replay builds from those (and the builder
    # refuses a kind it has no entry for).
    content = [
        copy.deepcopy(b)
        for b in message.get("content") or ()
        if isinstance(b, dict) and b.get("type") in KINDS
    ]
    built = build_message(
        Reply(content=content, apply_limits=False), request, Usage(0), sign=lambda _: ""
    )
    for key in built["usage"]:
        usage.setdefault(key, None)
    return usage


def _block(block: Any, where: str, notes: list[str]) -> dict[str, Any] | None:
    if not isinstance(block, dict):
        notes.append(f"{where}: not a block, left out")
        return None
    kind = block.get("type")
    if kind in _PASSED_THROUGH:
        return {k: raw_text(v) for k, v in block.items()}
    allowed = _BLOCK_KEYS.get(str(kind))
    if allowed is None:
        notes.append(f"{where}: block type {kind!r} is not in the fixture format, left out")
        return None
    out: dict[str, Any] = {}
    for key, value in block.items():
        if value is None:
            continue
        if key not in allowed:
            notes.append(f"{where}.{key}: not in the fixture format, left out")
            continue
        out[key] = raw_text(value)
    return out


def error_of(error: UpstreamError) -> dict[str, Any]:
    out: dict[str, Any] = {"type": error.type, "status": error.status}
    if error.message:
        out["message"] = raw_text(error.message)
    if error.error_code:
        out["error_code"] = error.error_code
    if error.headers:
        out["headers"] = dict(error.headers)
    return out


_TEMPLATE_MARKERS = ("{{", "{%")
_END_RAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def raw_text(value: Any) -> Any:
    """``value`` with every string the fixture loader would take for a Jinja2 template
    wrapped so that rendering it gives the string back."""
    if isinstance(value, str):
        if not any(marker in value for marker in _TEMPLATE_MARKERS):
            return value
        # An ``endraw`` tag inside the text would close the raw block: emit it as a literal
        # expression between two raw blocks (the tag holds no quote or backslash).
        pieces = _END_RAW.split(value)
        tags = _END_RAW.findall(value)
        out = "{% raw %}" + pieces[0] + "{% endraw %}"
        for tag, piece in zip(tags, pieces[1:], strict=True):
            out += "{{ '" + tag + "' }}{% raw %}" + piece + "{% endraw %}"
        return out
    if isinstance(value, dict):
        return {k: raw_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [raw_text(v) for v in value]
    return value


def without_ids(action: Mapping[str, Any]) -> bytes:
    """``action`` as bytes with tool-call ids left out: two answers equal but for the ids
    the upstream minted are the same answer."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("id", "tool_use_id")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return orjson.dumps(strip(action), option=orjson.OPT_SORT_KEYS)
