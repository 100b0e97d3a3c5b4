"""What a turn remembers of the parts every turn resends (system prompt, tools) gives what
the general path computes: the seed's CRC of the system prompt (``request.view``), the
tools' segments (``tokens``) and the prompt cache's keys over them (``caching``)."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

import pytest

from messages_sandbox import nesting, tokens
from messages_sandbox.caching import _content_digest, _digest_by_json, _frame, _prefix_keys
from messages_sandbox.constraints.tools import facts_of, tool_facts
from messages_sandbox.request.seed import _system_crc
from messages_sandbox.responder.agent_steps import _order, _order_memo, _ranked

CACHED = {"type": "ephemeral"}

SYSTEMS: list[Any] = [
    None,
    "",
    "You are terse.",
    [],
    [{"type": "text", "text": "x"}],
    [{"text": "x", "type": "text"}],  # other key order: other JSON
    [{"type": "text", "text": 'é \\n \u2028 "q"'}],
    [{"type": "text", "text": "a"}, {"type": "text", "text": "b", "cache_control": CACHED}],
    [{"type": "text", "text": "b", "cache_control": {"ttl": "1h", "type": "ephemeral"}}],
    [{"type": "text", "text": "b", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
    [{"type": "text", "text": "b", "cache_control": None}],
    [{"type": "text", "text": "b", "citations": [{"type": "x"}]}],
    [{"type": "text", "text": "b", "cache_control": {"type": "ephemeral", "n": 1}}],
    ["not a block"],
    [{"type": "text", "text": "big " * 70_000}],  # too big to remember
]


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_system_crc_is_the_crc_of_its_json(system: Any) -> None:
    expected = zlib.crc32(b"[" + nesting.dumps(system) + b",[")
    assert _system_crc(system) == expected
    assert _system_crc(system) == expected  # remembered


TOOLS: list[list[dict[str, Any]]] = [
    [],
    [{"name": "a", "input_schema": {"type": "object"}}],
    [
        {"name": "a", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}},
        {"name": "b", "description": "é", "input_schema": {"type": "object", "properties": {}}},
    ],
    [{"name": "big", "description": "x" * 300_000, "input_schema": {"type": "object"}}],
]
SYSTEM = [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]
MESSAGES = [
    {"role": "user", "content": "hi"},
    {"role": "assistant", "content": [{"type": "text", "text": "hello"}]},
    {"role": "user", "content": [{"type": "text", "text": "more"}]},
]


def _general_keys(model_id: str, segs: list[tokens.Segment]) -> list[bytes]:
    digest = hashlib.sha1(model_id.encode(), usedforsecurity=False)
    keys = []
    for s in segs:
        digest.update(_frame(s.part, s.starts_message))
        digest.update(_content_digest(s.value) if s.sent is None else _digest_by_json(s.sent))
        keys.append(digest.copy().digest())
    return keys


@pytest.mark.parametrize("tools", TOOLS)
@pytest.mark.parametrize("system", [None, SYSTEM])
def test_remembered_tool_segments_and_keys_are_the_general_ones(
    tools: list[dict[str, Any]], system: Any
) -> None:
    request = {"tools": tools, "system": system, "messages": MESSAGES}
    sent = [nesting.dumps(t) for t in tools]
    made = [
        tokens.Segment(
            tokens._PER_TOOL + tokens.count_json(raw),
            "tools",
            tool,
            tool.get("cache_control"),
            sent=raw,
        )
        for tool, raw in zip(tools, sent, strict=True)
    ]
    for _ in range(2):  # first made, then remembered
        segs = list(tokens.segments(request, tool_json=sent))
        assert segs[: len(tools)] == made
        for model_id in ("claude-sonnet-4-5", "claude-haiku-4-5"):
            assert _prefix_keys(model_id, segs) == _general_keys(model_id, segs)
            assert _prefix_keys(model_id, segs[:1]) == _general_keys(model_id, segs[:1])


FACT_TOOLS: list[list[dict[str, Any]]] = [
    *TOOLS[1:],
    [
        {"name": "a", "input_schema": {"type": "object"}, "defer_loading": True},
        {"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"},
    ],
    [{"name": "a", "input_schema": {"type": "object"}, "defer_loading": True}],
    [
        {"name": "ok", "input_schema": {"type": "object"}},
        {"name": "bad", "input_schema": {"type": "object", "properties": {"x": {"type": 3}}}},
        {"name": "worse", "input_schema": {"type": "nothing"}},
    ],
    [{"type": "web_search_20250305", "name": "web_search", "cache_control": CACHED}],
]


@pytest.mark.parametrize("tools", FACT_TOOLS)
def test_remembered_tool_facts_are_the_facts_the_tools_give(tools: list[dict[str, Any]]) -> None:
    sent = [nesting.dumps(t) for t in tools]
    expected = facts_of(tools, sent)
    assert tool_facts(tools, sent) == expected
    assert tool_facts(tools, sent) == expected  # remembered


RANK_NAMES = ("Grep", "Read", "WebFetch", "github_create_issue", "github_list_issues", "Bash")
RANK_WORDS = [
    "",
    "Go on.",
    "grep for it, then read the file",
    "Open a GitHub issue, then list issues; fetch the web page first (webfetch)",
    "bash: read-only grep",
]


@pytest.mark.parametrize("words", RANK_WORDS)
@pytest.mark.parametrize("by_position", [False, True])
@pytest.mark.parametrize("besides", [frozenset(), frozenset({"github_create_issue", "Grep"})])
def test_a_remembered_ranking_of_tools_is_the_ranking(
    words: str, by_position: bool, besides: frozenset[str]
) -> None:
    expected = _order(RANK_NAMES, words, by_position, besides)
    assert _order_memo(RANK_NAMES, words, by_position, besides) == expected
    assert _order_memo(RANK_NAMES, words, by_position, besides) == expected  # remembered
    tools = [{"name": n, "input_schema": {"type": "object"}} for n in RANK_NAMES]
    ranked = _ranked(tools, words, by_position=by_position, besides=besides)
    assert [t["name"] for t in ranked] == [RANK_NAMES[i] for i in expected]
