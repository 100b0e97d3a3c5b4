"""The request schema compiled: pydantic-core schemas of the four request bodies, as JSON.

Building validators from the generated TypedDicts (``generated``) takes pydantic a third of a
second at every start (defining ~600 TypedDicts, then generating their core schemas); the
core schemas themselves build validators in a few milliseconds. ``make schema`` writes them
to ``core.json`` beside this module (``write``), a test fails when the file is stale against
``generated`` and the installed pydantic, and ``load`` reads it for the first request. The
tag functions the unions dispatch on are named in the JSON (``{"$function": "_tag_role"}``),
at the paths its ``functions`` list gives, and found in ``tags``; the TypedDict classes the
core schemas point at (``cls``, used for nothing but titles) are left out, and references
lose the object ids pydantic appends, so the file is the same from run to run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from . import tags

ROOTS = (
    "MessageCreateParams",
    "BetaMessageCreateParams",
    "MessageCountTokensParams",
    "BetaMessageCountTokensParams",
)
PATH = Path(__file__).with_name("core.json")
_FUNCTION = "$function"


def load(path: Path = PATH) -> dict[str, Any]:
    """The core schema of each root, ready for ``pydantic_core.SchemaValidator``."""
    stored = orjson.loads(path.read_bytes())
    # Each ``{"$function": name}`` replaced by the function of ``tags``, found by the paths
    # ``render`` listed (a walk of the whole schema cost the first request ~2 ms).
    for where in stored["functions"]:
        parent = stored
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = getattr(tags, parent[where[-1]][_FUNCTION])
    definitions = stored["definitions"]
    return {
        name: {"type": "definitions", "schema": schema, "definitions": definitions}
        for name, schema in stored["roots"].items()
    }


def _function_paths(node: Any, path: tuple[str | int, ...]) -> list[list[str | int]]:
    """The path of each ``{"$function": name}`` under ``node``."""
    if isinstance(node, dict):
        if _FUNCTION in node:
            return [list(path)]
        return [p for k, v in node.items() for p in _function_paths(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _function_paths(v, (*path, i))]
    return []


def build() -> dict[str, Any]:
    """What ``core.json`` holds, made from ``generated`` (slow: imports and compiles it)."""
    from pydantic import TypeAdapter

    from . import generated

    roots: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for name in ROOTS:
        schema = TypeAdapter(getattr(generated, name)).core_schema
        assert schema["type"] == "definitions"
        refs = _plain_refs(schema)
        roots[name] = _portable(schema["schema"], refs)
        for definition in schema["definitions"]:
            plain = _portable(definition, refs)
            if definitions.setdefault(plain["ref"], plain) != plain:
                raise RuntimeError(f"two definitions of {plain['ref']}")
    return {"roots": roots, "definitions": [definitions[k] for k in sorted(definitions)]}


def write(path: Path = PATH) -> None:
    path.write_text(render(build()))


def render(data: dict[str, Any]) -> str:
    """One definition or root per line: compact, and a change of one type is one line."""

    def line(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))  # key order matters (tag order)

    functions = line(_function_paths(data, ()))
    definitions = ",\n".join(" " + line(d) for d in data["definitions"])
    roots = ",\n".join(f" {line(k)}: {line(v)}" for k, v in data["roots"].items())
    return (
        f'{{"functions": {functions},\n"definitions": [\n{definitions}\n],\n'
        f'"roots": {{\n{roots}\n}}}}\n'
    )


def _plain_refs(schema: Mapping[str, Any]) -> dict[str, str]:
    """pydantic's refs (``module.Name:140234...``) -> ``Name`` (a type's name is unique in
    ``generated``, where each is defined once)."""
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("ref", "schema_ref") and isinstance(value, str):
                    out[value] = value.split(":", 1)[0].rsplit(".", 1)[-1]
                else:
                    walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(schema)
    if len(set(out.values())) != len(out):
        raise RuntimeError("two types of one name in the request schema")
    return out


def _portable(node: Any, refs: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "cls":
                continue
            if key in ("ref", "schema_ref") and isinstance(value, str):
                out[key] = refs.get(value, value)
            else:
                out[key] = _portable(value, refs)
        return out
    if isinstance(node, list | tuple):
        return [_portable(v, refs) for v in node]
    if callable(node):
        name = getattr(node, "__name__", "")
        if getattr(tags, name, None) is not node:
            raise RuntimeError(f"{node!r} is not a function of schema.tags")
        return {_FUNCTION: name}
    return node
