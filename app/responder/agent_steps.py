"""The next step of an agent loop: deferred tools loaded through tool search, and the obvious
next tool call after a ``tool_result``.

Claude Code and the Agent SDK (with MCP servers) send most tools with ``defer_loading: true``
beside a tool-search tool; a model sees a deferred tool only once a search loaded it (a
``tool_reference`` to it, API docs "Tool search tool"). Agent loops go on for as long as the
model calls tools. The rules, for ``tool_choice`` ``auto`` (and ``any`` for the first two),
all deliberate choices and all bounded:

1. Deferred tools are callable once loaded: named by a ``tool_search_tool_result`` or by a
   ``tool_reference`` in a ``tool_result`` anywhere in the conversation.
2. When the user's words name a deferred tool not loaded yet: with a server tool search
   (``tool_search_tool_regex`` / ``_bm25``), one turn searches, loads it and calls it
   (``server_tool_use``, ``tool_search_tool_result``, ``tool_use``, as the docs show); with
   a client tool-search tool (Claude Code's ``ToolSearch``, or a tool named like
   ``tool_search``), it is called with ``select:<name>`` (Claude Code's direct selection)
   or the bare name. The tool the words name best wins (most distinct words matched).
3. After a ``tool_result`` (``auto`` only): an error ends the loop with text; tools the
   results just loaded: call the one the words name best; tools the user's words name that
   were not called since those words (by a word no called tool's name shares): call the
   next one (one per turn); otherwise the final text answer.
4. At most ``MAX_TOOL_TURNS`` turns with tool calls after the user's latest words, then
   text, whatever the rules above say: no loop runs forever.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..ids import stable_id
from .tool_input import generate_tool_input

MAX_TOOL_TURNS = 8
_CLIENT_SEARCH = re.compile(r"^(?:tool[_-]?search(?:[_-]?tool)?|search[_-]?tools?)$", re.I)
_CLAUDE_CODE_SEARCH = "ToolSearch"
_QUERY_KEYS = ("query", "pattern", "q", "regex", "keywords", "search", "text")
_SERVER_SEARCH_PREFIXES = ("tool_search_tool_regex", "tool_search_tool_bm25")


@dataclass(frozen=True)
class Step:
    """What to call next: client tools (``calls``), the server-side blocks that come first
    (a tool search turn), and inputs chosen here rather than generated from a schema."""

    calls: list[Mapping[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)


TEXT = Step()
"""No tool call: the answer is text."""


def visible_tools(
    request: Mapping[str, Any], tools: Sequence[Mapping[str, Any]]
) -> Sequence[Mapping[str, Any]]:
    """The tools a model can call now: deferred ones only once loaded (rule 1)."""
    if not any(t.get("defer_loading") for t in tools):
        return tools
    loaded = _loaded(request)
    return [t for t in tools if not t.get("defer_loading") or t.get("name") in loaded]


def next_step(
    request: Mapping[str, Any], tools: Sequence[Mapping[str, Any]], seed: int
) -> Step | None:
    """The step rules 2 to 4 decide; None leaves it to the responder's own rules."""
    kind = (request.get("tool_choice") or {}).get("type", "auto")
    if kind not in ("auto", "any"):
        return None
    deferred = any(t.get("defer_loading") for t in tools)
    after_results = _last_results(request)
    if not deferred and not after_results:
        return None  # the usual first turn: nothing here applies
    messages = request.get("messages") or ()
    task_at, words = _task(messages)
    since = messages[task_at + 1 :]
    if after_results:
        if kind != "auto":
            return None
        if _tool_turns(since) >= MAX_TOOL_TURNS or any(b.get("is_error") for b in after_results):
            return TEXT
        return _after_results(request, tools, words, since, after_results, seed) or TEXT
    return _load_named(request, tools, words, seed)


# -- rules -------------------------------------------------------------------------------
def _load_named(
    request: Mapping[str, Any], tools: Sequence[Mapping[str, Any]], words: str, seed: int
) -> Step | None:
    """Rule 2: the user's words name a deferred tool not loaded yet: search for it."""
    loaded = _loaded(request)
    wanted = [t for t in tools if t.get("defer_loading") and t.get("name") not in loaded]
    ranked = _ranked(wanted, words)
    return _search(tools, ranked[0], seed) if ranked else None


def _after_results(
    request: Mapping[str, Any],
    tools: Sequence[Mapping[str, Any]],
    words: str,
    since: Sequence[Mapping[str, Any]],
    results: list[Mapping[str, Any]],
    seed: int,
) -> Step | None:
    """Rule 3 (its error and bound cases aside)."""
    by_name = {str(t.get("name")): t for t in tools if "input_schema" in t}
    called = _called(since)
    just_loaded = [
        by_name[name]
        for result in results
        for name in _references(result.get("content"))
        if name in by_name and name not in called
    ]
    if just_loaded:
        ranked = _ranked(just_loaded, words)
        return Step([ranked[0] if ranked else just_loaded[0]])
    pending = [
        t
        for t in _ranked(list(by_name.values()), words, by_position=True, besides=called)
        if t["name"] not in called and not _is_client_search(t)
    ]
    if not pending:
        return None
    target = pending[0]
    if target.get("defer_loading") and target["name"] not in _loaded(request):
        return _search(tools, target, seed)
    return Step([target])


def _search(
    tools: Sequence[Mapping[str, Any]], target: Mapping[str, Any], seed: int
) -> Step | None:
    """A step that loads ``target`` through the tool search the request offers."""
    name = str(target["name"])
    for tool in tools:
        kind = str(tool.get("type", ""))
        if kind.startswith(_SERVER_SEARCH_PREFIXES):
            return Step([target], _server_search_turn(tool, kind, name, seed))
    for tool in tools:
        if _is_client_search(tool) and not tool.get("defer_loading"):
            query = f"select:{name}" if tool.get("name") == _CLAUDE_CODE_SEARCH else name
            return Step([tool], inputs={str(tool["name"]): _search_input(tool, query)})
    return None  # nothing can load it: a model would not call it


def _server_search_turn(
    tool: Mapping[str, Any], kind: str, name: str, seed: int
) -> list[dict[str, Any]]:
    call_id = stable_id("srvtoolu_", str(seed), "tool_search")
    # The docs: the regex variant takes a `pattern` (Python re.search), BM25 a `query`.
    regex = kind.startswith("tool_search_tool_regex")
    tool_input = {"pattern": name} if regex else {"query": " ".join(_words_of(name))}
    return [
        {
            "type": "server_tool_use",
            "id": call_id,
            "name": str(tool.get("name")),
            "input": tool_input,
            "caller": {"type": "direct"},
        },
        {
            "type": "tool_search_tool_result",
            "tool_use_id": call_id,
            "content": {
                "type": "tool_search_tool_search_result",
                "tool_references": [{"type": "tool_reference", "tool_name": name}],
            },
        },
    ]


def _search_input(tool: Mapping[str, Any], query: str) -> dict[str, Any]:
    """The search tool's input: its query-like string property set to ``query``."""
    schema = tool.get("input_schema") or {}
    props: Mapping[str, Any] = schema.get("properties") or {}
    strings = [k for k, v in props.items() if isinstance(v, Mapping) and v.get("type") == "string"]
    key = next((k for k in _QUERY_KEYS if k in strings), strings[0] if strings else "query")
    required = set(schema.get("required") or ())
    base = generate_tool_input(schema, 0) if required - {key} else {}
    return {**base, key: query}


# -- reading the conversation ------------------------------------------------------------
def _task(messages: Sequence[Mapping[str, Any]]) -> tuple[int, str]:
    """The latest user turn with the user's own words, and those words."""
    from ..request.view import without_reminders

    for i in range(len(messages) - 1, -1, -1):
        message = messages[i]
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            texts = [content]
        else:
            texts = [b.get("text", "") for b in content or () if b.get("type") == "text"]
        words = "\n".join(t for t in (without_reminders(t) for t in texts) if t)
        if words:
            return i, words
    return -1, ""


def _last_results(request: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The ``tool_result`` blocks of a conversation's last turn (empty when it has none)."""
    messages = [m for m in request.get("messages") or () if m.get("role") != "system"]
    last = messages[-1] if messages else None
    if last is None or last.get("role") != "user" or isinstance(last.get("content"), str):
        return []
    return [b for b in last.get("content") or () if b.get("type") == "tool_result"]


def _tool_turns(messages: Iterable[Mapping[str, Any]]) -> int:
    return sum(1 for m in messages if m.get("role") == "assistant" and _calls_in(m))


def _called(messages: Iterable[Mapping[str, Any]]) -> set[str]:
    return {name for m in messages if m.get("role") == "assistant" for name in _calls_in(m)}


def _calls_in(message: Mapping[str, Any]) -> list[str]:
    content = message.get("content")
    if isinstance(content, str):
        return []
    return [
        str(b.get("name"))
        for b in content or ()
        if b.get("type") in ("tool_use", "server_tool_use", "mcp_tool_use")
    ]


def _loaded(request: Mapping[str, Any]) -> set[str]:
    """Deferred tools loaded so far: every tool a search result or tool result references."""
    names: set[str] = set()
    for message in request.get("messages") or ():
        content = message.get("content")
        if isinstance(content, str):
            continue
        for block in content or ():
            kind = block.get("type")
            if kind == "tool_result":
                names.update(_references(block.get("content")))
            elif kind == "tool_search_tool_result":
                found = block.get("content") or {}
                for ref in found.get("tool_references") or ():
                    names.add(str(ref.get("tool_name")))
    return names


def _references(content: Any) -> list[str]:
    if isinstance(content, str):
        return []
    return [str(b.get("tool_name")) for b in content or () if b.get("type") == "tool_reference"]


# -- names -------------------------------------------------------------------------------
def _ranked(
    tools: Sequence[Mapping[str, Any]],
    words: str,
    *,
    by_position: bool = False,
    besides: Iterable[str] = (),
) -> list[Mapping[str, Any]]:
    """The tools ``words`` name, best named first (most distinct words matched, then the
    earliest mention), or in the order they are mentioned (``by_position``). A word that
    also names one of the tools ``besides`` does not count (``github`` names every tool of
    a GitHub server: once one was called, it names none of the others)."""
    names = tuple(str(tool["name"]) for tool in tools)
    key = (names, words, by_position, frozenset(besides))
    # Every turn of an agent loop ranks the same tools by the same words of the user (only
    # ``besides`` grows): the order is remembered, for words of a usual length.
    order = _order(*key) if len(words) > _RANK_MEMO_MAX else _order_memo(*key)
    return [tools[i] for i in order]


def _order(
    names: tuple[str, ...], words: str, by_position: bool, besides: frozenset[str]
) -> tuple[int, ...]:
    """``_ranked``'s order of the tools named ``names``, as their indexes."""
    from . import _NOT_FOUND, _find_word, _mentions  # the package imports this module first

    text = words.lower()
    taken = {w for name in besides for w in _mentions(name)}
    scored = []
    for order, name in enumerate(names):
        # ``w in text`` first: most words are not in the text at all, and a C substring
        # search answers that for a fraction of a call (``_find_word`` makes the same test).
        hits = [
            at
            for w in _mentions(name)
            if w in text and w not in taken and (at := _find_word(text, w)) < _NOT_FOUND
        ]
        if hits:
            scored.append((min(hits), -len(hits), order))
    if by_position:
        scored.sort(key=lambda s: (s[0], s[2]))
    else:
        scored.sort(key=lambda s: (s[1], s[0], s[2]))
    return tuple(s[2] for s in scored)


_order_memo = lru_cache(maxsize=256)(_order)
_RANK_MEMO_MAX = 4096
"""Longer words (a pasted file) are ranked each time rather than held."""


def _words_of(name: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    return spaced.lower().split()


def _is_client_search(tool: Mapping[str, Any]) -> bool:
    return "input_schema" in tool and bool(_CLIENT_SEARCH.match(str(tool.get("name", ""))))
