"""The default responder through the official SDK: every answer parses strictly, and the
stream's accumulated message equals the JSON one field for field (message id aside)."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import httpx
import jsonschema
import pytest
from anthropic.types import Message
from conftest import start_sandbox
from PIL import Image
from pydantic import BaseModel


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[anthropic.Anthropic]:
    """An SDK client on a sandbox with the model catalogue only: no fixture rule can answer
    before the default responder."""
    root = tmp_path_factory.mktemp("responder")
    (root / "fixtures").mkdir()
    # A small chunk size, so every stream below is also a chunking test.
    server = start_sandbox(root, root / "fixtures", SANDBOX_STREAM_CHUNK_SIZE="5")
    try:
        with server.client() as sdk:
            yield sdk
    finally:
        server.stop()


MODEL = "claude-sonnet-4-6"  # thinking `enabled`, not deprecated (no SDK warning)
WEATHER = {
    "name": "get_weather",
    "description": "Get the current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {
            "city": {"type": "string", "minLength": 1},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "when": {"type": "string", "format": "date-time"},
        },
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
}
CLOCK = {
    "name": "get_time",
    "description": "Current time in a time zone.",
    "input_schema": {
        "type": "object",
        "properties": {"tz": {"type": "string", "pattern": "^[A-Z][a-z]+/[A-Z][a-z]+$"}},
        "required": ["tz"],
    },
}
SEARCH = {
    "name": "search_docs",
    "description": "Search internal documents.",
    "input_schema": {
        "type": "object",
        "$defs": {"filter": {"type": "object", "properties": {"tag": {"enum": ["a", "b"]}}}},
        "properties": {
            "query": {"type": "string"},
            "filters": {"type": "array", "items": {"$ref": "#/$defs/filter"}, "minItems": 1},
            "limit": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"type": "null"}]},
        },
        "required": ["query", "filters", "limit"],
        "additionalProperties": False,
    },
}
TOOLS = {t["name"]: t for t in (WEATHER, CLOCK, SEARCH)}
ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "score": {"type": "integer", "minimum": 0, "maximum": 10},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["title", "score", "tags"],
    "additionalProperties": False,
}


def _png(width: int, height: int) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def _one_text(m: Message) -> None:
    assert [b.type for b in m.content] == ["text"]
    assert m.stop_reason == "end_turn" and m.content[0].text


def _tool_calls(m: Message) -> list[Any]:
    calls = [b for b in m.content if b.type == "tool_use"]
    for call in calls:
        assert call.id.startswith("toolu_")
        jsonschema.validate(call.input, TOOLS[call.name]["input_schema"])
    return calls


def _forced(m: Message) -> None:
    assert [b.type for b in m.content] == ["tool_use"] and m.stop_reason == "tool_use"
    assert [c.name for c in _tool_calls(m)] == ["get_weather"]


def _any_single(m: Message) -> None:
    assert m.stop_reason == "tool_use" and len(_tool_calls(m)) == 1


def _auto_parallel(m: Message) -> None:
    assert m.content[0].type == "text"  # the preamble
    assert [c.name for c in _tool_calls(m)] == ["get_time", "get_weather"]


def _thinking(m: Message) -> None:
    thinking, text = m.content
    assert thinking.type == "thinking" and thinking.thinking and thinking.signature
    assert text.type == "text" and m.stop_reason == "end_turn"


def _omitted(m: Message) -> None:
    assert m.content[0].type == "thinking"
    assert m.content[0].thinking == "" and m.content[0].signature


def _between_tools(m: Message) -> None:
    assert [b.type for b in m.content] == ["thinking", "tool_use"]
    assert "get_weather" in m.content[0].thinking


def _server_tool(m: Message) -> None:
    assert [b.type for b in m.content] == ["server_tool_use", "web_search_tool_result", "text"]
    assert m.content[0].id.startswith("srvtoolu_") and m.content[1].tool_use_id == m.content[0].id
    assert m.stop_reason == "end_turn" and m.usage.server_tool_use.web_search_requests == 1


def _json_output(m: Message) -> None:
    jsonschema.validate(json.loads(m.content[0].text), ANSWER_SCHEMA)


def _max_one(m: Message) -> None:
    assert m.stop_reason == "max_tokens" and m.usage.output_tokens <= 1
    assert len(m.content) == 1 and m.content[0].text


def _max_zero(m: Message) -> None:
    assert m.content == [] and m.stop_reason == "max_tokens" and m.usage.output_tokens == 0


def _stopped(m: Message) -> None:
    assert m.stop_reason == "stop_sequence" and m.stop_sequence == "STOP"
    assert "STOP" not in m.content[0].text and m.content[0].text.endswith('wrote: "halt ')


def _tool_cut(m: Message) -> None:
    assert m.stop_reason == "max_tokens" and m.usage.output_tokens <= 8
    assert m.content[-1].type == "tool_use" and isinstance(m.content[-1].input, dict)


def _final_answer(m: Message) -> None:
    _one_text(m)
    assert "get_weather" in m.content[0].text and "18°C, light rain" in m.content[0].text


NON_ASCII = "总结这张图片 👩‍👩‍👧‍👦 🇯🇵 café 👍🏽"


def _quotes_non_ascii(m: Message) -> None:
    _one_text(m)
    assert NON_ASCII in m.content[0].text


def _no_tool(m: Message) -> None:
    _one_text(m)


TOOL_TURN = [
    user("What is the weather in Paris?"),
    {
        "role": "assistant",
        "content": [
            {
                "type": "tool_use",
                "id": "toolu_01A",
                "name": "get_weather",
                "input": {"city": "Paris", "unit": "celsius"},
            }
        ],
    },
    {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18°C, light rain"}
        ],
    },
]

CASES: dict[str, tuple[dict[str, Any], Callable[[Message], None]]] = {
    "plain_text": ({"messages": [user("Hello there")]}, _one_text),
    "non_ascii": ({"messages": [user(NON_ASCII)]}, _quotes_non_ascii),
    "system_blocks": (
        {
            "system": [
                {"type": "text", "text": "You are terse."},
                {
                    "type": "text",
                    "text": "Answer in English.",
                    "cache_control": {"type": "ephemeral"},
                },
            ],
            "messages": [user("Hello")],
        },
        _one_text,
    ),
    "multi_turn": (
        {
            "messages": [
                user("Hi"),
                {"role": "assistant", "content": "Hello! How can I help?"},
                user("Tell me a fact."),
            ]
        },
        _one_text,
    ),
    "image": (
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {
                                "type": "base64",
                                "media_type": "image/png",
                                "data": _png(40, 30),
                            },
                        },
                        {"type": "text", "text": "Describe this image."},
                    ],
                }
            ]
        },
        _one_text,
    ),
    "forced_tool": (
        {
            "messages": [user("Anything")],
            "tools": [WEATHER],
            "tool_choice": {"type": "tool", "name": "get_weather"},
        },
        _forced,
    ),
    "any_tool_of_several": (
        {
            "messages": [user("Help me")],
            "tools": [WEATHER, CLOCK, SEARCH],
            "tool_choice": {"type": "any", "disable_parallel_tool_use": True},
        },
        _any_single,
    ),
    "auto_tools_named_in_parallel": (
        {"messages": [user("Check the time and the weather in Rome")], "tools": [WEATHER, CLOCK]},
        _auto_parallel,
    ),
    "tool_choice_none": (
        {
            "messages": [user("What is the weather?")],
            "tools": [WEATHER],
            "tool_choice": {"type": "none"},
        },
        _no_tool,
    ),
    "thinking_enabled": (
        {
            "messages": [user("Why is the sky blue?")],
            "thinking": {"type": "enabled", "budget_tokens": 1024},
        },
        _thinking,
    ),
    "thinking_adaptive_omitted": (
        {
            "model": "claude-opus-4-8",
            "messages": [user("Why is the sky blue?")],
            "thinking": {"type": "adaptive", "display": "omitted"},
        },
        _omitted,
    ),
    "thinking_between_tools": (
        {
            "model": "claude-fable-5-2",
            "messages": [user("What's the weather in Oslo?")],
            "tools": [WEATHER],
            "thinking": {"type": "between_tools"},
        },
        _between_tools,
    ),
    "forced_server_tool": (
        {
            "messages": [user("Latest news on tides")],
            "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 2}],
            "tool_choice": {"type": "tool", "name": "web_search"},
        },
        _server_tool,
    ),
    "json_schema_output": (
        {
            "messages": [user("Rate this film")],
            "output_config": {"format": {"type": "json_schema", "schema": ANSWER_SCHEMA}},
        },
        _json_output,
    ),
    "max_tokens_1": ({"max_tokens": 1, "messages": [user("Hello")]}, _max_one),
    "max_tokens_0": ({"max_tokens": 0, "messages": [user("Hello")]}, _max_zero),
    "stop_sequence": (
        {"messages": [user("halt STOP here")], "stop_sequences": ["STOP", "never"]},
        _stopped,
    ),
    "tool_cut_by_max_tokens": (
        {
            "max_tokens": 8,
            "messages": [user("Anything")],
            "tools": [SEARCH],
            "tool_choice": {"type": "tool", "name": "search_docs"},
        },
        _tool_cut,
    ),
    "tool_result_follow_up": ({"messages": TOOL_TURN, "tools": [WEATHER]}, _final_answer),
    # Claude Code appends a mid-conversation system message after tool results: still the end
    # of the tool loop, not a new question.
    "tool_result_then_system_message": (
        {
            "model": "claude-opus-4-8",
            "messages": [*TOOL_TURN, {"role": "system", "content": "1000 tokens left"}],
            "tools": [WEATHER],
        },
        _final_answer,
    ),
}


def _request(overrides: dict[str, Any]) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 2048, **overrides}


def assert_no_unknown_fields(value: Any, path: str = "message") -> None:
    """Strict parsing still tolerates extra keys; the sandbox must not send any."""
    if isinstance(value, BaseModel):
        assert not value.model_extra, f"{path}: unexpected fields {sorted(value.model_extra)}"
        for name in type(value).model_fields:
            assert_no_unknown_fields(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_no_unknown_fields(item, f"{path}[{i}]")


@pytest.mark.parametrize("case", list(CASES))
def test_create_parses_strictly_and_stream_accumulates_to_the_same_message(
    client: anthropic.Anthropic, case: str
) -> None:
    overrides, check = CASES[case]
    request = _request(overrides)
    raw = client.messages.with_raw_response.create(**request)
    strict = Message.model_validate_json(raw.http_response.content, strict=True)
    assert Message.model_validate(raw.http_response.json(), strict=True) == strict
    assert_no_unknown_fields(strict)
    created = raw.parse()
    assert strict == created
    assert created.id.startswith("msg_") and len(created.id) == 28
    assert created.model == request["model"] and created.usage.input_tokens > 0
    assert created.usage.output_tokens <= request["max_tokens"]
    check(created)

    with client.messages.stream(**request) as stream:
        streamed = stream.get_final_message()
    assert streamed.id != created.id
    assert streamed.model_dump(exclude={"id"}) == created.model_dump(exclude={"id"})


def test_same_request_gets_the_same_answer_with_a_fresh_message_id(
    client: anthropic.Anthropic,
) -> None:
    request = _request({"messages": [user("Weather in Lima?")], "tools": [WEATHER, SEARCH]})
    first, second = (client.messages.create(**request) for _ in range(2))
    assert first.id != second.id
    assert first.model_dump(exclude={"id"}) == second.model_dump(exclude={"id"})


def test_returned_thinking_block_is_accepted_on_the_next_turn(client: anthropic.Anthropic) -> None:
    thinking = {"type": "enabled", "budget_tokens": 1024}
    first = client.messages.create(**_request({"messages": [user("Hi")], "thinking": thinking}))
    history = [user("Hi"), {"role": "assistant", "content": first.content}, user("And then?")]
    second = client.messages.create(**_request({"messages": history, "thinking": thinking}))
    assert second.content[0].type == "thinking"


def test_documented_example_answers_with_the_documented_shape(http: httpx.Client) -> None:
    body = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "请总结这张图片里的关键信息"}]}
        ],
    }
    headers = {"x-api-key": "sk-ant-test-key", "anthropic-version": "2023-06-01"}
    response = http.post("/v1/messages", json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["id"].startswith("msg_") and data["type"] == "message"
    assert data["role"] == "assistant" and data["stop_reason"] == "end_turn"
    assert data["stop_sequence"] is None
    assert [b["type"] for b in data["content"]] == ["text"] and data["content"][0]["text"]
    assert data["usage"]["input_tokens"] > 0 and data["usage"]["output_tokens"] > 0
    Message.model_validate_json(response.content, strict=True)


def test_unscripted_shell_tool_call_runs_a_harmless_command(client) -> None:
    bash = {
        "name": "Bash",
        "description": "Run a shell command",
        "input_schema": {
            "type": "object",
            "properties": {"command": {"type": "string"}, "timeout": {"type": "number"}},
            "required": ["command"],
        },
    }
    m = client.messages.create(
        **_request(
            {
                "messages": [user("List the files")],
                "tools": [bash],
                "tool_choice": {"type": "tool", "name": "Bash"},
            }
        )
    )
    assert m.content[0].input["command"] == "echo messages-sandbox"
