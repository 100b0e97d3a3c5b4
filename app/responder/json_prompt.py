"""JSON asked for in the prompt: an answer that parses, shaped like the schema or example.

Extraction libraries' JSON modes (instructor's ``ANTHROPIC_JSON``, LangChain's JSON and
Pydantic output parsers) and older SDKs without structured outputs ask for JSON in words,
in the system prompt or the user's message, usually with a JSON Schema or an example object
inline. A real model answers with that JSON; so does the default responder.

How it decides (deliberate choices; a real model reads the prompt, this reads patterns):
- Where: each system text and the user's words in the last user turn.
- Asked: a text says so ("return ... JSON", "in JSON", "JSON object", "json_schema", ...),
  in a sentence that is not a question ("How do I return JSON from Flask?" is prose).
- Shape: the last JSON Schema among the objects in the asking texts (LangChain shows an
  example schema before the real one; instructor and LangChain both put the real one last),
  else the last example object (or array of objects), mirrored: the same keys, values of
  the same JSON types. Asked in an instruction ("Return a JSON object.") with neither: a
  one-key object ``{"answer": ...}``. Asked in passing with neither: prose, as before.
- Wire shape: bare JSON, the one form every parser takes (``json.loads``, instructor's
  ``extract_json_from_codeblock``, LangChain's ``parse_json_markdown``); in a ```json fence
  only when the text asks for a code block. A prefill that starts the answer (``{`` or
  ```json) is continued.
- Values come from ``tool_input.generate_instance``, seeded like the rest of the answer, so
  the same request gets the same JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import orjson

from .. import nesting
from .caller_schema import MAX_DEPTH
from .tool_input import generate_instance

# One cheap scan decides for almost every request: no "json" anywhere, nothing to do.
_JSON_WORD = re.compile(r"json", re.I)
_ASKS = re.compile(
    r"\b(?:return|respond|reply|answer|output|provide|give|produce|generate|emit|format(?:ted)?"
    r"|write|extract|structured)\b[^.\n]{0,120}?\bjson\b"
    r"|\b(?:in|as|valid|only|strict|raw|pure|single)\s+json\b"
    r"|\bjson[ _-]?(?:object|format|schema|instance|response|output|only|array|document)\b",
    re.I,
)
# An instruction, not a question about JSON: at the start of a sentence or line.
_INSTRUCTION = re.compile(
    r"(?:^|[.!:]\s+|\n\s*)(?:please\s+)?(?:return|respond|reply|answer|output)\b"
    r"[^.\n?]{0,60}\bjson\b[^?\n]*?(?:[.!]|$)",
    re.I | re.M,
)
_FENCE = re.compile(
    r"\b(?:in|within|inside|into|using)\s+(?:a\s+|an\s+)?(?:```json|(?:markdown\s+)?"
    r"(?:json\s+)?code\s?block|fenced)",
    re.I,
)
_NO_FENCE = re.compile(
    r"\b(?:no|not|without|never|don't|do not)\b[^.\n]{0,40}(?:```|code\s?block|fence|markdown)",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_MAX_READS = 8  # bounds the work on a long, brace-heavy text (see ``_objects``)
_DECODER = json.JSONDecoder()
_SCHEMA_KEYS = frozenset(
    {
        "$schema", "$id", "$ref", "$defs", "$comment", "definitions", "type", "properties",
        "required", "items", "prefixItems", "additionalProperties", "patternProperties",
        "anyOf", "oneOf", "allOf", "not", "enum", "const", "title", "description", "default",
        "examples", "format", "pattern", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems",
        "uniqueItems", "minProperties", "maxProperties", "nullable", "discriminator",
        "readOnly", "writeOnly", "deprecated", "contains", "propertyNames", "if", "then",
        "else", "dependentRequired", "unevaluatedProperties", "contentMediaType",
    }
)  # fmt: skip
_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})


def json_reply(request: Mapping[str, Any], prompt: str, seed: int) -> str | None:
    """The answer text when the prompt asks for JSON (None when it does not)."""
    if not request.get("system") and not _mentions_json(prompt):
        # The usual chat request: no system prompt, and no "json" in the user's words.
        return None
    asking = [r for r in map(_read, _texts(request, prompt)) if r.asking]
    if not asking:
        return None
    shape = _shape(asking)
    if shape is not None:
        value = generate_instance(shape, seed)
    elif any(r.instructs for r in asking):
        value = {"answer": "This is a deterministic reply from messages-sandbox."}
    else:
        return None
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    fenced = any(r.fenced for r in asking)
    prefill = _prefill(request)
    if prefill.lstrip().startswith("```"):
        fenced = True
    if fenced:
        text = f"```json\n{text}\n```"
    if prefill:
        # The model goes on from where the prefill stopped.
        return text[len(prefill) :] if text.startswith(prefill) else "\n" + text
    return text


class _Reading:
    """What one text says about JSON, each part read when first asked for.

    The system prompt comes back on every turn, and each part is a scan of all of it (on
    Claude Code's 26 KB prompt: ~0.6 ms of regex searches whether it asks for JSON, ~1.2 M
    instructions to look for objects in one that does): readings of texts up to
    ``_MEMO_MAX`` are remembered (``_read``). Shared between requests, so nobody changes
    what a reading holds."""

    __slots__ = ("_fenced", "_found", "_instructs", "_text", "asking")

    def __init__(self, text: str) -> None:
        self._text = text
        self.asking = _mentions_json(text) and _asks(text)
        """Mentions JSON and asks for it."""
        self._instructs: bool | None = None
        self._fenced: bool | None = None
        self._found: tuple[dict[str, Any] | None, Any] | None = None

    @property
    def instructs(self) -> bool:
        """Gives an instruction about JSON (read on demand: only asking texts need it)."""
        if self._instructs is None:
            self._instructs = _INSTRUCTION.search(self._text) is not None
        return self._instructs

    @property
    def fenced(self) -> bool:
        """Asks for the JSON in a code block."""
        if self._fenced is None:
            text = self._text
            self._fenced = _FENCE.search(text) is not None and not _NO_FENCE.search(text)
        return self._fenced

    @property
    def found(self) -> tuple[dict[str, Any] | None, Any]:
        """The last JSON Schema and the last example object in the text."""
        if self._found is None:
            self._found = _find_in(self._text)
        return self._found


def _mentions_json(text: str) -> bool:
    """``_JSON_WORD.search(text) is not None``, five times cheaper on ASCII text (700
    instead of 3,600 instructions on a short prompt). Only there: ``re.I`` also takes "ſ"
    for "s", which ``lower`` leaves as it is."""
    if text.isascii():
        return "json" in text.lower()
    return _JSON_WORD.search(text) is not None


def _read(text: str) -> _Reading:
    if len(text) <= _SCAN_MAX and not _mentions_json(text):
        # Most texts: a short one that does not mention JSON is read by one substring
        # test, and a one-off prompt takes no place in the memo.
        return _SILENT
    if len(text) > _MEMO_MAX:
        return _Reading(text)  # huge one-off texts would pin memory
    return _read_memo(text)


_MEMO_MAX = 64 * 1024
_read_memo = lru_cache(maxsize=256)(_Reading)
_SCAN_MAX = 4096
"""Texts up to this are scanned for "json" before the memo: a lookup hashes the text anyway."""
_SILENT = _Reading("")
"""The reading of any short text that does not mention JSON: ``asking`` (False) is all
anyone reads of a reading that does not ask (``json_reply`` keeps only asking ones), so its
other parts, which describe "", are never read; shared, and holds no request's text."""


def _asks(text: str) -> bool:
    """Asks for JSON, in a sentence that is not a question (about JSON)."""
    for match in _ASKS.finditer(text):
        end = _SENTENCE_END.search(text, match.end())
        if end is None or end.group() != "?":
            return True
    return False


def _texts(request: Mapping[str, Any], prompt: str) -> Iterator[str]:
    system = request.get("system")
    if isinstance(system, str):
        yield system
    elif system:
        for block in system:
            if isinstance(block, Mapping) and isinstance(block.get("text"), str):
                yield block["text"]
    if prompt:
        yield prompt


def _prefill(request: Mapping[str, Any]) -> str:
    messages = request.get("messages") or ()
    last = messages[-1] if messages else None
    if last is None or last.get("role") != "assistant":
        return ""
    content = last.get("content")
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content or () if b.get("type") == "text")


def _shape(readings: list[_Reading]) -> Mapping[str, Any] | None:
    """The schema to answer with: the last schema found, else the last example's shape."""
    schema: dict[str, Any] | None = None
    example: Any = None
    for reading in readings:
        found_schema, found_example = reading.found
        if found_schema is not None:
            schema = found_schema
        if found_example is not None:
            example = found_example
    if schema is not None:
        return schema
    return _schema_of(example) if example is not None else None


def _find_in(text: str) -> tuple[dict[str, Any] | None, Any]:
    schema: dict[str, Any] | None = None
    example: Any = None
    for value in _objects(text):
        if nesting.depth(value) > MAX_DEPTH:
            continue  # no usable schema nests that deep; ``_schema_of`` recurses
        if _is_schema(value):
            schema = value
        elif isinstance(value, dict) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ):
            example = value
    return schema, example


def _objects(text: str) -> Iterator[Any]:
    """Every JSON object or array literal in ``text``, outermost ones only."""
    end = 0
    # A failed decode may read to the end of the text (an unterminated string): the failed
    # attempts together may read the text at most ``_MAX_READS`` times over.
    budget = _MAX_READS * len(text)
    for match in re.finditer(r"[{\[]", text):
        at = match.start()
        if at < end:
            continue  # inside the literal just read
        if budget < len(text) - at:
            return
        try:
            value, end = _DECODER.raw_decode(text, at)
        except (ValueError, RecursionError):
            budget -= len(text) - at
            continue
        yield value


def _is_schema(value: Any) -> bool:
    if not isinstance(value, dict) or not value:
        return False
    if "$schema" in value:
        return True
    props = value.get("properties")
    if isinstance(props, dict) and props and all(_is_subschema(v) for v in props.values()):
        return True
    keys = set(value)
    if not keys <= _SCHEMA_KEYS:
        return False
    kind = value.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if kinds and all(k in _TYPES for k in kinds):
        return True
    return any(k in value for k in ("anyOf", "oneOf", "allOf", "$ref", "enum"))


def _is_subschema(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, dict) and set(value) <= _SCHEMA_KEYS)


def _schema_of(example: Any) -> dict[str, Any]:
    """A schema every value shaped like ``example`` satisfies (keys kept, types kept)."""
    if isinstance(example, bool):
        return {"type": "boolean"}
    if isinstance(example, int):
        return {"type": "integer"}
    if isinstance(example, float):
        return {"type": "number"}
    if isinstance(example, str):
        return {"type": "string"}
    if example is None:
        return {"type": ["string", "null"]}
    if isinstance(example, list):
        items = _schema_of(example[0]) if example else {}
        return {"type": "array", "items": items, "minItems": 1 if example else 0}
    return {
        "type": "object",
        "properties": {k: _schema_of(v) for k, v in example.items()},
        "required": list(example),
        "additionalProperties": False,
    }
