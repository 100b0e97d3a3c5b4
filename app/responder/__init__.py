"""The default responder: a deterministic answer that honours what the request asks for.

Used whenever no fixture rule matches (lenient mode). Seeded from the request, so the same
request always gets the same content (ids included, except the message id).

How it decides (deliberate choices; the real model is not deterministic):
- ``tool_choice`` ``tool``: one call of that tool. ``any``: the tools the user's text names,
  else one tool picked by the seed. ``auto``: the tools the user's text names, as a whole
  word (``get_weather``, ``get weather`` or a distinctive part such as ``weather``), after
  a one-line preamble; otherwise text. ``none`` or no tools: text. Several named tools are
  called in parallel unless ``disable_parallel_tool_use`` (then the first named one).
- Agent loops (``responder.agent_steps``): deferred tools (``defer_loading``) are
  loaded through the request's tool search before they are called; after a ``tool_result``
  the obvious next tool is called (one the search just loaded, or the next one the user
  named), at most ``MAX_TOOL_TURNS`` tool turns per user message; otherwise a final text
  answer quoting the results, unless ``tool_choice`` forces a tool.
- ``thinking`` ``enabled``/``adaptive``: a thinking block first (within ``budget_tokens``);
  ``display: "omitted"`` (or the model's default display) returns it with empty text and a
  valid signature. ``between_tools``: the preamble before a tool call comes back as a
  thinking block instead of text.
- ``output_config.format`` ``json_schema``: the text is a JSON document valid against it.
- JSON asked for in the prompt with a schema or an example object: that JSON
  (``responder.json_prompt``).
- Tool inputs are generated from each tool's ``input_schema`` (``responder.tool_input``).
- A forced server tool (``web_search``, ``web_fetch``, ``code_execution``) runs "server
  side": its ``server_tool_use`` and result blocks, then a short text (``responder.server_tools``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

import orjson

from ..catalogue import Model
from ..ids import stable_id
from ..message.reply import Reply
from ..request import RequestView, as_view
from ..tokens import truncate_text
from .agent_steps import next_step, visible_tools
from .json_prompt import json_reply
from .server_tools import server_tool_name, server_tool_turn
from .tool_input import generate_instance, generate_tool_input, is_valid

__all__ = ["default_reply", "generate_tool_input", "prompt_text", "seed_of"]

_SENTENCES = (
    "This is a deterministic reply from messages-sandbox.",
    "No fixture rule matched this request, so the default responder answered.",
    "Add a rule under fixtures/ to choose exactly what the model says.",
    "Every answer parses with the official SDKs, streamed or not.",
)
_SENTENCES_ZH = (
    "这是 messages-sandbox 的确定性回复。",
    "没有匹配的 fixture 规则,因此由默认应答器回答。",
    "在 fixtures/ 下添加规则即可精确指定模型的回答。",
    "无论是否流式,每个回答都能被官方 SDK 解析。",
)
_QUOTE_LIMIT = 200
_NOT_FOUND = 1 << 62
_GENERIC_PARTS = frozenset(
    [
        "get",
        "set",
        "list",
        "create",
        "update",
        "delete",
        "remove",
        "fetch",
        "read",
        "write",
        "run",
        "make",
        "find",
        "search",
        "tool",
        "call",
        "send",
        "query",
        "check",
        "info",
        "data",
        "item",
        "items",
        "name",
        "value",
    ]
)
_SHELL_TOOL = re.compile(r"bash|shell|terminal|exec|command|powershell", re.I)
_SAFE_COMMAND = "echo messages-sandbox"
# Anthropic-defined client tools have no input_schema; a plausible input for each.
_BUILTIN_INPUTS: dict[str, dict[str, Any]] = {
    "bash": {"command": _SAFE_COMMAND},
    "str_replace_based_edit_tool": {"command": "view", "path": "README.md"},
    "str_replace_editor": {"command": "view", "path": "README.md"},
    "computer": {"action": "screenshot"},
    "memory": {"command": "view", "path": "/memories"},
}


def seed_of(request: RequestView | Mapping[str, Any]) -> int:
    """The seed of the answer to ``request`` (``RequestView.seed``)."""
    return as_view(request).seed


def prompt_text(request: RequestView | Mapping[str, Any]) -> str:
    """The user's words in the last user turn (``RequestView.prompt``)."""
    return as_view(request).prompt


def default_reply(request: RequestView | Mapping[str, Any], model: Model | None = None) -> Reply:
    # A view already (the pipeline's), else a view of a plain dict (tests).
    view = request if type(request) is RequestView else as_view(request)
    params = view.request
    tools = params.get("tools")
    if not tools and not params.get("thinking"):
        # The usual chat request: no tool to call and no thinking block, so the answer is
        # one text block (what ``general_reply`` ends with for such a request).
        return Reply([{"type": "text", "text": _answer_text(view, view.prompt, view.seed)}])
    return general_reply(view, model)


def general_reply(view: RequestView, model: Model | None) -> Reply:
    """``default_reply`` for any request (tools, thinking, agent steps, server tools)."""
    params = view.request
    seed = view.seed
    prompt = view.prompt
    tools = params.get("tools")
    tools = [t for t in tools if t.get("name")] if tools else []
    step = next_step(params, tools, seed) if tools else None
    if step is not None:
        calls = step.calls
    else:
        calls = _tools_to_call(view, tools, prompt, seed) if tools else []
    thinking = params.get("thinking") or {}
    content: list[dict[str, Any]] = []
    if thinking.get("type") in ("enabled", "adaptive"):
        content.append(_thinking_block(view, thinking, model, prompt, calls))
    server_calls: list[Mapping[str, Any]] = []
    if calls:
        server_calls = [t for t in calls if server_tool_name(t)]
        calls = [t for t in calls if not server_tool_name(t)]
    for tool in server_calls:
        content.extend(server_tool_turn(tool, prompt, seed))
    if step is not None:
        content.extend(step.blocks)  # a tool search the server ran
    if calls:
        preamble = _preamble(calls)
        if thinking.get("type") == "between_tools":
            content.append({"type": "thinking", "thinking": preamble})
        elif (params.get("tool_choice") or {}).get("type", "auto") == "auto":
            content.append({"type": "text", "text": preamble})
        for i, tool in enumerate(calls):
            content.append(_tool_use(tool, seed, i))
            if step is not None and tool["name"] in step.inputs:
                content[-1]["input"] = step.inputs[tool["name"]]
    elif server_calls:
        names = ", ".join(str(server_tool_name(t)) for t in server_calls)
        content.append({"type": "text", "text": f"Here is what {names} found for your request."})
    else:
        content.append({"type": "text", "text": _answer_text(view, prompt, seed)})
    return Reply(content)


# -- tools -----------------------------------------------------------------------------
def _tools_to_call(
    view: RequestView, tools: list[Mapping[str, Any]], prompt: str, seed: int
) -> list[Mapping[str, Any]]:
    request = view.request
    choice = request.get("tool_choice") or {"type": "auto"}
    kind = choice.get("type", "auto")
    if not tools or kind == "none":
        return []
    callable_tools = [t for t in visible_tools(request, tools) if _is_client_tool(t)]
    if kind == "tool":
        forced = [t for t in tools if t.get("name") == choice.get("name")][:1]
        return [t for t in forced if _is_client_tool(t) or server_tool_name(t)]
    named = _named_tools(callable_tools, prompt)
    if choice.get("disable_parallel_tool_use"):
        named = named[:1]
    if kind == "any":
        if named or not callable_tools:
            return named
        return [random.Random(seed).choice(callable_tools)]
    if view.ends_with_tool_results:
        return []
    return named


def _is_client_tool(tool: Mapping[str, Any]) -> bool:
    return "input_schema" in tool or tool.get("name") in _BUILTIN_INPUTS


def _named_tools(tools: list[Mapping[str, Any]], prompt: str) -> list[Mapping[str, Any]]:
    """Tools the prompt mentions, in the order it mentions them."""
    text = prompt.lower()
    found: list[tuple[int, int, Mapping[str, Any]]] = []
    for order, tool in enumerate(tools):
        # Most words are not in the text at all: ``w in text`` answers that without a call.
        at = min(
            (_find_word(text, w) for w in _mentions(str(tool["name"])) if w in text),
            default=_NOT_FOUND,
        )
        if at < _NOT_FOUND:
            found.append((at, order, tool))
    return [tool for _, _, tool in sorted(found, key=lambda f: (f[0], f[1]))]


@lru_cache(maxsize=1024)  # the same tools come with every turn of a conversation
def _mentions(name: str) -> tuple[str, ...]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    parts = [p for p in spaced.lower().split() if len(p) >= 4 and p not in _GENERIC_PARTS]
    return (name.lower(), spaced.lower(), *parts)


def _find_word(text: str, word: str) -> int:
    if word not in text:
        # The usual answer, found by a C substring search instead of a regex made per word
        # (``test_fast_paths`` checks that both agree).
        return _NOT_FOUND
    match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    return match.start() if match else _NOT_FOUND


def _tool_use(tool: Mapping[str, Any], seed: int, index: int) -> dict[str, Any]:
    name = str(tool["name"])
    schema = tool.get("input_schema")
    if isinstance(schema, Mapping):
        tool_input = generate_tool_input(schema, seed + index)
        if _SHELL_TOOL.search(name) and isinstance(tool_input.get("command"), str):
            # Deliberate choice: clients like Claude Code really run what a shell tool is
            # asked to run, so an unscripted call runs a harmless command, never random text.
            safe = {**tool_input, "command": _SAFE_COMMAND}
            if _valid(schema, safe):
                tool_input = safe
    else:
        tool_input = dict(_BUILTIN_INPUTS.get(name, {}))
    return {
        "type": "tool_use",
        # Deterministic from the request, so create() and stream() agree and tests can pin
        # them; a new turn changes the seed, so ids stay unique within a conversation.
        "id": stable_id("toolu_", str(seed), str(index)),
        "name": name,
        "input": tool_input,
        "caller": {"type": "direct"},
    }


def _preamble(calls: Sequence[Mapping[str, Any]]) -> str:
    names = ", ".join(str(t["name"]) for t in calls)
    noun = "tool" if len(calls) == 1 else "tools"
    return f"I'll use the {names} {noun} to help with that."


# -- thinking --------------------------------------------------------------------------
def _thinking_block(
    view: RequestView,
    thinking: Mapping[str, Any],
    model: Model | None,
    prompt: str,
    calls: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    display = thinking.get("display") or (model.thinking_display if model else "summarized")
    if display == "omitted":
        # The docs: thinking text redacted, signature still returned (and verifiable).
        return {"type": "thinking", "thinking": ""}
    if calls:
        plan = f"The {calls[0]['name']} tool can answer this, so I will call it."
    elif view.ends_with_tool_results:
        plan = "The tool results are in; I can now give the final answer."
    else:
        plan = "I can answer this directly."
    text = f"The user wrote: {_quote(prompt) or '(no text)'}. {plan}"
    budget = thinking.get("budget_tokens")
    if isinstance(budget, int):
        text = truncate_text(text, budget)
    return {"type": "thinking", "thinking": text}


# -- text ------------------------------------------------------------------------------
def _answer_text(view: RequestView, prompt: str, seed: int) -> str:
    request = view.request
    # The usual request names no output format: no call to ``_output_schema``.
    if request.get("output_config") or request.get("output_format"):
        schema = _output_schema(request)
        if schema is not None:
            return orjson.dumps(generate_instance(schema, seed)).decode()
    asked = json_reply(request, prompt, seed)
    if asked is not None:
        return asked
    if view.ends_with_tool_results:
        return " ".join(_tool_results(view)) + " That completes the task."
    chinese = not prompt.isascii() and _cjk().search(prompt) is not None  # isascii: O(1)
    opening = (_OPENINGS_ZH if chinese else _OPENINGS)[seed % _OPENING_PERIOD]
    quote = _quote(prompt)
    if not quote:
        return opening
    return f"{opening}你写道:「{quote}」" if chinese else f'{opening} You wrote: "{quote}"'


def _opening(sentences: Sequence[str], seed: int, joiner: str) -> str:
    """Two different sentences picked by the seed."""
    first = sentences[seed % len(sentences)]
    second = sentences[(seed // 7 + 1) % len(sentences)]
    if second == first:
        second = sentences[(seed + 1) % len(sentences)]
    return f"{first}{joiner}{second}"


# ``_opening`` depends on the seed only through ``seed % 4`` and ``seed // 7 % 4``, that is
# through ``seed % 28``: the 28 openings of each language are made once, not per reply.
_OPENING_PERIOD = 7 * len(_SENTENCES)
assert len(_SENTENCES_ZH) == len(_SENTENCES)
_OPENINGS = tuple(_opening(_SENTENCES, seed, " ") for seed in range(_OPENING_PERIOD))
_OPENINGS_ZH = tuple(_opening(_SENTENCES_ZH, seed, "") for seed in range(_OPENING_PERIOD))


def _output_schema(request: Mapping[str, Any]) -> Mapping[str, Any] | None:
    # GA `output_config.format`, and the older beta top-level `output_format`.
    config = request.get("output_config")
    fmt = (config.get("format") if config else None) or request.get("output_format")
    if fmt and isinstance(fmt, Mapping) and fmt.get("type") == "json_schema":
        schema = fmt.get("schema")
        return schema if isinstance(schema, Mapping) else {}
    return None


def _tool_results(view: RequestView) -> list[str]:
    """One sentence per ``tool_result`` block of a conversation that ends with some."""
    names = view.tool_use_names
    out = []
    for block in view.result_blocks:
        name = names.get(block.get("tool_use_id", ""), "tool")
        result = _quote(_result_text(block.get("content"))) or "(no output)"
        if block.get("is_error"):
            out.append(f"The {name} tool reported an error: {result}.")
        else:
            out.append(f"The {name} tool returned: {result}.")
    return out


def _result_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for block in content or ():
        if block.get("type") == "text":
            parts.append(block.get("text", ""))
        else:
            parts.append(f"[{block.get('type')}]")
    return " ".join(parts)


def _quote(text: str) -> str:
    """The first words of ``text``, whitespace collapsed, cut to ``_QUOTE_LIMIT``."""
    if (
        len(text) <= _QUOTE_LIMIT
        and "  " not in text
        and text.isprintable()
        and text.strip() == text
    ):
        # Most prompts: a short line with single spaces, which collapsing gives back as it is
        # (every whitespace character but " " is unprintable): no split and join, no call.
        return text
    if len(text) > _QUOTE_HEAD:
        # A long text (a file a tool read, a pasted log): only its head is quoted, so only
        # its head is split. Its words but the last (which the cut may have split) are the
        # first words of the whole text; when they alone are longer than the quote, the
        # quote is theirs (``test_fast_paths`` checks it against ``_quote_whole``).
        head = " ".join(text[:_QUOTE_HEAD].split()[:-1])
        if len(head) > _QUOTE_LIMIT:
            return head[:_QUOTE_LIMIT].rsplit(" ", 1)[0] + "…"
    return _quote_whole(text)


def _quote_whole(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _QUOTE_LIMIT:
        return text
    return text[:_QUOTE_LIMIT].rsplit(" ", 1)[0] + "…"


_QUOTE_HEAD = 4 * _QUOTE_LIMIT


def _valid(schema: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    return is_valid({"type": "object", **schema}, value)


@cache
def _cjk() -> re.Pattern[str]:
    # Compiled with the first non-ASCII prompt: ``re`` builds these ~39,000 code points' class
    # in pure Python (~3 ms), which every start paid when it was compiled at import.
    return re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
