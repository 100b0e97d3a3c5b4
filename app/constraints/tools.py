"""What the API's checks read of a request's tools alone, remembered by the tools' JSON.

Clients resend the same tools every turn (Claude Code: 25 tools, ~51 KB): the schema check,
tool search's rules and the count of cache breakpoints then read one remembered
``ToolFacts`` instead of walking every tool again (``tests/test_turn_memos.py`` checks that
the remembered facts are the ones the tools give).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from ..responder.caller_schema import Problem, tool_schema_problem


@dataclass(frozen=True, slots=True)
class ToolFacts:
    names: frozenset[Any]
    """Each tool's ``name`` (None for a tool without one)."""
    any_deferred: bool
    all_deferred: bool
    breakpoints: int
    """Tools carrying a ``cache_control``."""
    schema_problem: tuple[int, Problem] | None
    """The first custom tool whose ``input_schema`` is not a valid JSON Schema, and why."""


def tool_facts(tools: Sequence[Mapping[str, Any]], tool_json: Sequence[bytes]) -> ToolFacts:
    """The facts of ``tools``, whose JSON (``RequestView.tool_json``) is ``tool_json``."""
    key = tuple(tool_json)
    if sum(map(len, key)) > _MEMO_MAX:
        return facts_of(tools, key)
    return _remembered(key)


def facts_of(tools: Sequence[Mapping[str, Any]], tool_json: Sequence[bytes]) -> ToolFacts:
    """The general path: every tool read."""
    problem = None
    for i, tool in enumerate(tools):
        if isinstance(tool.get("input_schema"), Mapping):  # Anthropic-defined tools have none
            found = tool_schema_problem(tool_json[i])
            if found is not None:
                problem = (i, found)
                break
    return ToolFacts(
        names=frozenset(t.get("name") for t in tools),
        any_deferred=any(t.get("defer_loading") for t in tools),
        all_deferred=all(t.get("defer_loading") for t in tools),
        breakpoints=sum(1 for t in tools if t.get("cache_control") is not None),
        schema_problem=problem,
    )


@lru_cache(maxsize=64)
def _remembered(tool_json: tuple[bytes, ...]) -> ToolFacts:
    # The same JSON is the same tools: read them again from it. The bytes' hashes are
    # computed already (the token count and the seed looked them up), so a hit costs a
    # comparison of the bytes, often of the same objects (``schema.KnownTools``).
    return facts_of([orjson.loads(raw) for raw in tool_json], tool_json)


_MEMO_MAX = 256 * 1024
"""Tools' JSON up to this many bytes is remembered (64 sets at most)."""
