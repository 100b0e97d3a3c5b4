"""Agent loops against the default responder, through the official SDK: forced tools with
all-optional schemas get filled inputs, deferred tools are loaded through tool search before
they are called, and after a tool_result the obvious next step is taken, within a bound."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import anthropic
import jsonschema
import pytest
from anthropic.types import Message
from conftest import start_sandbox

from messages_sandbox.responder.agent_steps import MAX_TOOL_TURNS

MODEL = "claude-sonnet-4-6"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[anthropic.Anthropic]:
    root = tmp_path_factory.mktemp("agent-steps")
    (root / "fixtures").mkdir()
    server = start_sandbox(root, root / "fixtures", SANDBOX_STREAM_CHUNK_SIZE="9")
    try:
        with server.client() as sdk:
            yield sdk
    finally:
        server.stop()


def create(client: anthropic.Anthropic, **request: Any) -> Message:
    """create() and stream() agree; the answer is returned."""
    request = {"model": MODEL, "max_tokens": 1024, **request}
    message = client.messages.create(**request)
    with client.messages.stream(**request) as stream:
        streamed = stream.get_final_message()
    assert streamed.model_dump(exclude={"id"}) == message.model_dump(exclude={"id"})
    return message


def tool(
    name: str, properties: dict[str, Any], required: Sequence[str] = (), **extra: Any
) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": list(required)}
    return {"name": name, "description": f"The {name} tool.", "input_schema": schema, **extra}


# -- 2. forced tools whose properties are all optional ---------------------------------------
ITEM = {"type": "object", "properties": {"name": {"type": "string"}, "qty": {"type": "integer"}}}
OPTIONAL = [
    # instructor's Iterable[...] and LangChain's list extraction: a list in a wrapper object.
    ("list_wrapper", {"items": {"type": "array", "items": ITEM}}),
    ("several_optional_fields",
     {"title": {"type": "string"}, "year": {"type": "integer"}, "genre": {"enum": ["a", "b"]}}),
    ("nested_all_optional",
     {"movie": {"type": "object", "properties": {"title": {"type": "string"}}}}),
    ("nullable_fields", {"note": {"anyOf": [{"type": "string"}, {"type": "null"}]}}),
]  # fmt: skip


@pytest.mark.parametrize("properties", [c[1] for c in OPTIONAL], ids=[c[0] for c in OPTIONAL])
def test_forced_tool_with_only_optional_properties_gets_them_filled(
    client: anthropic.Anthropic, properties: dict[str, Any]
) -> None:
    extract = tool("extract", properties)
    for text in ("Extract it.", "Another text entirely", "第三"):
        message = create(
            client,
            messages=[{"role": "user", "content": text}],
            tools=[extract],
            tool_choice={"type": "tool", "name": "extract"},
        )
        [call] = message.content
        assert call.type == "tool_use" and set(call.input) == set(properties)
        jsonschema.validate(call.input, extract["input_schema"])


# -- 3. deferred tools and agent loops -------------------------------------------------------
LIST_ISSUES = tool(
    "mcp__github__list_issues", {"repo": {"type": "string"}}, ["repo"], defer_loading=True
)
CREATE_ISSUE = tool(
    "mcp__github__create_issue",
    {"repo": {"type": "string"}, "title": {"type": "string"}},
    ["repo", "title"],
    defer_loading=True,
)
# Claude Code's client-side search tool, as it sends it.
TOOL_SEARCH = tool(
    "ToolSearch",
    {"query": {"type": "string"}, "max_results": {"type": "number", "default": 5}},
    ["query"],
)
BASH = tool("Bash", {"command": {"type": "string"}}, ["command"])
SERVER_SEARCH = {"type": "tool_search_tool_regex_20251119", "name": "tool_search_tool_regex"}
WEATHER = tool("get_weather", {"city": {"type": "string"}}, ["city"])
CLOCK = tool("get_time", {"tz": {"type": "string"}}, ["tz"])
ASK_ISSUES = "List the issues on github for acme/web"
ONE_AT_A_TIME = {"type": "auto", "disable_parallel_tool_use": True}


def run_tools(call: Any) -> list[dict[str, Any]] | str:
    """What the client answers each call with (Claude Code answers ToolSearch so)."""
    if call.name == "ToolSearch":
        name = call.input["query"].removeprefix("select:")
        return [{"type": "tool_reference", "tool_name": name}]
    if call.name == "broken":
        raise RuntimeError
    return f"{call.name} done"


def loop(
    client: anthropic.Anthropic,
    text: str,
    tools: list[dict[str, Any]],
    results: Callable[[Any], Any] = run_tools,
    **extra: Any,
) -> list[Message]:
    """Drive an agent loop until the answer is text (or a runaway is evident)."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": text}]
    turns: list[Message] = []
    while len(turns) <= MAX_TOOL_TURNS + 2:
        message = create(client, messages=messages, tools=tools, **extra)
        turns.append(message)
        calls = [b for b in message.content if b.type == "tool_use"]
        if message.stop_reason != "tool_use":
            return turns
        answers = []
        for call in calls:
            try:
                answers.append(
                    {"type": "tool_result", "tool_use_id": call.id, "content": results(call)}
                )
            except RuntimeError:
                answers.append(
                    {"type": "tool_result", "tool_use_id": call.id, "content": "boom",
                     "is_error": True}
                )  # fmt: skip
        messages += [
            {"role": "assistant", "content": [b.model_dump() for b in message.content]},
            {"role": "user", "content": answers},
        ]
    raise AssertionError("the loop did not end")


def trace(turns: list[Message]) -> list[str]:
    """One line per turn: the blocks it holds, tool calls by name."""
    return [
        " ".join(b.name if b.type in ("tool_use", "server_tool_use") else b.type for b in m.content)
        for m in turns
    ]


STEP_CASES = [
    ("client_tool_search_then_the_tool_then_text", ASK_ISSUES,
     [BASH, TOOL_SEARCH, LIST_ISSUES, CREATE_ISSUE], {},
     ["text ToolSearch", "text mcp__github__list_issues", "text"]),
    ("server_tool_search_and_the_call_in_one_turn", ASK_ISSUES,
     [SERVER_SEARCH, LIST_ISSUES, CREATE_ISSUE], {},
     ["tool_search_tool_regex tool_search_tool_result text mcp__github__list_issues", "text"]),
    ("the_next_named_tool_after_a_result", "Weather in Oslo, then the time there?",
     [WEATHER, CLOCK], {"tool_choice": ONE_AT_A_TIME},
     ["text get_weather", "text get_time", "text"]),
    ("a_loaded_tool_and_then_a_named_one", ASK_ISSUES + ", then echo it with bash",
     [BASH, TOOL_SEARCH, LIST_ISSUES, CREATE_ISSUE], {},
     ["text ToolSearch", "text mcp__github__list_issues", "text Bash", "text"]),
    ("an_error_result_ends_the_loop", "Use the broken tool, then get_time",
     [tool("broken", {}), CLOCK], {"tool_choice": ONE_AT_A_TIME}, ["text broken", "text"]),
    ("no_deferred_tool_named_means_text", "say hi",
     [TOOL_SEARCH, LIST_ISSUES], {}, ["text"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "tools", "extra", "expected"),
    [c[1:] for c in STEP_CASES],
    ids=[c[0] for c in STEP_CASES],
)
def test_agent_loop_takes_the_obvious_steps_then_answers(
    client: anthropic.Anthropic,
    text: str,
    tools: list[dict[str, Any]],
    extra: dict[str, Any],
    expected: list[str],
) -> None:
    turns = loop(client, text, tools, **extra)
    assert trace(turns) == expected
    assert turns[-1].stop_reason == "end_turn"
    assert trace(loop(client, text, tools, **extra)) == expected  # deterministic


def test_tool_search_loads_the_tool_the_words_name_best(client: anthropic.Anthropic) -> None:
    message = create(
        client,
        messages=[{"role": "user", "content": "Create an issue on github: the build is red"}],
        tools=[TOOL_SEARCH, LIST_ISSUES, CREATE_ISSUE],
    )
    call = message.content[-1]
    assert call.name == "ToolSearch"
    assert call.input == {"query": "select:mcp__github__create_issue"}


def test_a_deferred_tool_is_never_called_before_it_is_loaded(client: anthropic.Anthropic) -> None:
    # No search tool to load it with: a model cannot call it at all.
    message = create(
        client,
        messages=[{"role": "user", "content": ASK_ISSUES}],
        tools=[BASH, LIST_ISSUES],
        tool_choice={"type": "any"},
    )
    assert [b.name for b in message.content if b.type == "tool_use"] == ["Bash"]


def test_agent_loop_stops_calling_tools_after_the_bound(client: anthropic.Anthropic) -> None:
    many = [tool(f"step_{word}", {}) for word in "abcdefghijkl"]
    text = "Run " + ", then ".join(f"step_{word}" for word in "abcdefghijkl")
    turns = loop(
        client, text, many, tool_choice={"type": "auto", "disable_parallel_tool_use": True}
    )
    assert len(turns) == MAX_TOOL_TURNS + 1
    assert [t.stop_reason for t in turns] == ["tool_use"] * MAX_TOOL_TURNS + ["end_turn"]
