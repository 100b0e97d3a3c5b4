"""A caller's JSON Schema (a tool's ``input_schema``, a structured-output format), checked
before anything is generated from it.

``schema_problem(schema)`` is None for a schema the responder can use, else what is wrong
and where inside the schema. It checks what the real API checks (the schema against its
draft's metaschema: draft 2020-12 unless ``$schema`` names another) and what the metaschema
lets through but no generator can use: a ``$ref`` that resolves to nothing, or nesting
deeper than ``MAX_DEPTH``.

Checking a large schema takes milliseconds and clients resend the same tools on every turn,
so results are memoised by the schema's JSON text.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from .. import nesting

MAX_DEPTH = 64
"""Deliberate choice: schemas nested deeper (in JSON containers) are refused. jsonschema's
own checks recurse and give out near 190 levels; real schemas stay far below 64 (nested
models are written with ``$defs`` and ``$ref``). The real API's limit is not public."""

_MESSAGE_CAP = 300
# Keywords whose values are data, not subschemas: a "$ref" key inside them is no reference.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples", "example"})
# Keywords whose values map names to subschemas (any name, "enum" included).
_NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


@dataclass(frozen=True)
class Problem:
    where: str
    """The dotted path inside the schema (``properties.name.minLength``), "" for the root."""
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def schema_problem(schema: Mapping[str, Any]) -> Problem | None:
    """What makes ``schema`` unusable, or None when it is fine (memoised)."""
    return _problem_of_json(nesting.dumps(schema))


@functools.lru_cache(maxsize=1024)
def _problem_of_json(text: bytes) -> Problem | None:
    return _problem(orjson.loads(text))


def tool_schema_problem(tool_json: bytes) -> Problem | None:
    """``schema_problem`` of the ``input_schema`` of the tool whose JSON is ``tool_json``
    (``RequestView.tool_json``), remembered by those bytes: the request view has made them
    already, so a tool seen before costs a lookup, not a serialisation of its schema."""
    if len(tool_json) > _TOOL_MEMO_MAX:
        return _tool_problem(tool_json)
    return _tool_problem_memo(tool_json)


_TOOL_MEMO_MAX = 64 * 1024


def _tool_problem(tool_json: bytes) -> Problem | None:
    return schema_problem(orjson.loads(tool_json)["input_schema"])


_tool_problem_memo = functools.lru_cache(maxsize=1024)(_tool_problem)


def _problem(schema: Any) -> Problem | None:
    import jsonschema  # with the first schema to check (most runs send none)

    if not isinstance(schema, dict):
        return Problem("", "a schema is a JSON object")
    levels = nesting.depth(schema)
    if levels > MAX_DEPTH:
        return Problem("", f"nested {levels} levels deep; at most {MAX_DEPTH} are supported")
    declared = schema.get("$schema")
    if declared is not None and not isinstance(declared, str):
        return Problem("$schema", f"{_short(declared)} is not of type 'string'")
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return Problem(_dotted(exc.absolute_path), _capped(exc.message))
    except RecursionError:  # not expected within MAX_DEPTH; never a crash either way
        return Problem("", f"too deeply nested to check (at most {MAX_DEPTH} levels)")
    return _unresolvable_ref(schema)


def _unresolvable_ref(schema: dict[str, Any]) -> Problem | None:
    """The first ``$ref`` that resolves to nothing usable as a schema."""
    from referencing import Registry, Resource  # with the first schema (most runs send none)
    from referencing.jsonschema import DRAFT202012

    try:
        root = Registry().resolver_with_root(Resource.from_contents(schema, DRAFT202012))
    except Exception:  # a `$schema` the resolver does not know: resolve as draft 2020-12
        root = Registry().resolver_with_root(DRAFT202012.create_resource(schema))
    # (value, its path, the resolver for refs in it, whether it maps names to subschemas)
    stack: list[tuple[Any, tuple[str | int, ...], Any, bool]] = [(schema, (), root, False)]
    while stack:
        node, path, resolver, names = stack.pop()
        if isinstance(node, list):
            stack.extend((v, (*path, i), resolver, False) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        if names:
            stack.extend((v, (*path, k), resolver, False) for k, v in node.items())
            continue
        if isinstance(node.get("$id"), str) and path:
            # An $id the library cannot use: refs in it resolve from above.
            with contextlib.suppress(Exception):
                resolver = resolver.in_subresource(DRAFT202012.create_resource(node))
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                target = resolver.lookup(ref).contents
            except Exception:
                return Problem(_dotted((*path, "$ref")), f"cannot resolve {ref!r}")
            if not isinstance(target, dict | bool):
                return Problem(_dotted((*path, "$ref")), f"{ref!r} does not point at a schema")
        for key, value in node.items():
            if key not in _DATA_KEYWORDS and isinstance(value, dict | list):
                stack.append((value, (*path, key), resolver, key in _NAME_MAPS))
    return None


def checkable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` without its regular expressions, for checking generated values against.

    Deliberate choice: a caller's ``pattern`` can take any time to run (``((?:){60000}){60000}``
    never ends, ``(x+x+)+y`` is exponential in the string), and nothing can stop ``re`` once
    it runs, so generated strings follow a pattern by construction (``regex_sample``) and are
    not re-checked against it. ``patternProperties`` goes too, and with it the keywords that
    depend on it (``additionalProperties``, ``unevaluatedProperties``). Only for a schema
    ``schema_problem`` passed (so at most ``MAX_DEPTH`` deep).
    """
    return _checkable_of_json(nesting.dumps(schema))


@functools.lru_cache(maxsize=1024)
def _checkable_of_json(text: bytes) -> dict[str, Any]:
    checkable: dict[str, Any] = _without_patterns(orjson.loads(text), names=False)
    return checkable


def _without_patterns(node: Any, *, names: bool) -> Any:
    if isinstance(node, list):
        return [_without_patterns(v, names=False) for v in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {k: _without_patterns(v, names=False) for k, v in node.items()}
    out = {}
    patterned = "patternProperties" in node
    for key, value in node.items():
        if key in ("pattern", "patternProperties"):
            continue
        if patterned and key in ("additionalProperties", "unevaluatedProperties"):
            continue
        if key in _DATA_KEYWORDS:
            out[key] = value
        else:
            out[key] = _without_patterns(value, names=key in _NAME_MAPS)
    return out


def _dotted(path: Any) -> str:
    return ".".join(str(p) for p in path)


def _short(value: Any) -> str:
    return _capped(repr(value))


def _capped(text: str) -> str:
    return text if len(text) <= _MESSAGE_CAP else text[: _MESSAGE_CAP - 1] + "…"
