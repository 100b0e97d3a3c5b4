"""Build and render without HTTP: one Message, and a stream that replays into exactly it."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from anthropic.lib.streaming._messages import accumulate_event
from anthropic.types import Message, RawMessageStreamEvent
from pydantic import TypeAdapter

from messages_sandbox import tokens
from messages_sandbox.catalogue import Model
from messages_sandbox.message.build import Usage, build_message
from messages_sandbox.message.chunks import chunks as _chunks
from messages_sandbox.message.render import events
from messages_sandbox.message.reply import Reply
from messages_sandbox.responder import default_reply, prompt_text
from messages_sandbox.responder.tool_input import generate_instance, generate_tool_input
from messages_sandbox.signatures import Signer

SIGNER = Signer("test-key")
_EVENT = TypeAdapter(RawMessageStreamEvent)


def build(content: list[dict[str, Any]], **request: Any) -> dict[str, Any]:
    request = {"model": "claude-sonnet-5", "max_tokens": 1024, **request}
    return build_message(Reply(content=content), request, Usage(input_tokens=12), sign=SIGNER.sign)


def replay(message: dict[str, Any], chunk_size: int = 16) -> Message:
    """Feed the rendered events to the official SDK's stream accumulator."""
    snapshot = None
    bufs: dict[int, bytes] = {}
    for name, data in events(message, chunk_size):
        if name == "ping":
            continue
        event = _EVENT.validate_python(data)
        snapshot = accumulate_event(event=event, current_snapshot=snapshot, json_bufs=bufs)
    assert snapshot is not None
    return Message.model_validate(snapshot.to_dict())


EVERY_BLOCK = [
    {"type": "thinking", "thinking": "Let me think about this 🤔 carefully."},
    {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw"},
    {
        "type": "server_tool_use",
        "name": "web_search",
        "input": {"query": "weather in Paris"},
    },
    {
        "type": "web_search_tool_result",
        "content": [
            {
                "type": "web_search_result",
                "title": "Paris weather",
                "url": "https://example.com/paris",
                "encrypted_content": "abc",
                "page_age": None,
            }
        ],
    },
    {
        "type": "text",
        "text": "It is 18°C in Paris 🇫🇷 today.",
        "citations": [
            {
                "type": "web_search_result_location",
                "cited_text": "18°C",
                "url": "https://example.com/paris",
                "title": "Paris weather",
                "encrypted_index": "xyz",
            }
        ],
    },
    {"type": "tool_use", "name": "get_weather", "input": {"city": "Paris", "days": [1, 2]}},
]


@pytest.mark.parametrize("chunk_size", [1, 3, 16, 1000])
def test_stream_of_every_block_kind_replays_into_the_built_message(chunk_size: int) -> None:
    message = build([dict(b) for b in EVERY_BLOCK])
    assert replay(message, chunk_size).model_dump() == Message.model_validate(message).model_dump()


def test_chunk_size_groups_whole_tokens_to_about_that_many_characters() -> None:
    text = "Streaming deltas follow token boundaries, like the real API's."
    assert list(_chunks(text, 1)) == tokens.pieces(text)  # at least one token per delta
    grouped = list(_chunks(text, 12))
    assert "".join(grouped) == text and all(len(c) < 12 + 7 for c in grouped)


def test_event_sequence_follows_the_grammar() -> None:
    message = build([dict(b) for b in EVERY_BLOCK])
    names = [name for name, _ in events(message, 8)]
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"] and names.count("ping") == 1
    starts = [d["index"] for n, d in events(message, 8) if n == "content_block_start"]
    assert starts == list(range(len(EVERY_BLOCK)))
    for name, data in events(message, 8):
        assert data["type"] == name


def test_build_assigns_ids_links_results_and_counts_server_tools() -> None:
    message = build([dict(b) for b in EVERY_BLOCK])
    blocks = message["content"]
    assert message["id"].startswith("msg_01") and len(message["id"]) == 28
    assert blocks[2]["id"].startswith("srvtoolu_")
    assert blocks[3]["tool_use_id"] == blocks[2]["id"]
    assert blocks[5]["id"].startswith("toolu_")
    assert message["usage"]["server_tool_use"] == {
        "web_search_requests": 1,
        "web_fetch_requests": 0,
    }
    assert SIGNER.verify(blocks[0]["thinking"], blocks[0]["signature"])
    assert message["stop_reason"] == "tool_use"


def test_max_tokens_cuts_text_to_the_budget() -> None:
    message = build([{"type": "text", "text": "one two three four five six"}], max_tokens=3)
    assert message["content"][0]["text"] == "one two three"
    assert message["stop_reason"] == "max_tokens" and message["usage"]["output_tokens"] == 3


def test_max_tokens_zero_gives_empty_content() -> None:
    message = build([{"type": "text", "text": "hello"}], max_tokens=0)
    assert message["content"] == [] and message["stop_reason"] == "max_tokens"
    assert [n for n, _ in events(message)] == [
        "message_start",
        "ping",
        "message_delta",
        "message_stop",
    ]


def test_tool_use_cut_mid_input_stays_parseable_in_json_and_stream() -> None:
    tool = {"type": "tool_use", "name": "t", "input": {"a": "x" * 5, "b": "long " * 40}}
    message = build([tool], max_tokens=14)
    assert message["stop_reason"] == "max_tokens"
    assert message["content"][0]["input"] == {"a": "xxxxx"}
    assert message["usage"]["output_tokens"] <= 14
    assert replay(message, 3).content[0].input == {"a": "xxxxx"}


def test_stop_sequence_stops_right_before_the_earliest_hit() -> None:
    message = build(
        [{"type": "text", "text": "alpha END beta HALT"}, {"type": "text", "text": "gone"}],
        stop_sequences=["HALT", "END"],
    )
    assert message["content"] == [{"type": "text", "text": "alpha "}]
    assert message["stop_reason"] == "stop_sequence" and message["stop_sequence"] == "END"


def test_thinking_cut_by_max_tokens_is_signed_as_returned() -> None:
    message = build([{"type": "thinking", "thinking": "a b c d e f"}], max_tokens=2)
    block = message["content"][0]
    assert block["thinking"] == "a b" and SIGNER.verify("a b", block["signature"])


def test_message_delta_carries_cumulative_usage_with_input_tokens() -> None:
    message = build([{"type": "text", "text": "hi"}])
    (_, start), *_, (_, delta), _ = events(message)
    assert start["message"]["content"] == [] and start["message"]["stop_reason"] is None
    assert start["message"]["usage"]["input_tokens"] == 12
    assert delta["usage"]["input_tokens"] == 12
    assert delta["usage"]["output_tokens"] == message["usage"]["output_tokens"]
    assert delta["delta"] == {
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "stop_details": None,
    }


GRAPHEMES = "家族 👨‍👩‍👧‍👦 flag 🇫🇷🇩🇪 ok 👍🏽 é 1️⃣ 🏴󠁧󠁢󠁳󠁣󠁴󠁿 end"


@pytest.mark.parametrize("size", range(1, 12))
def test_text_chunks_keep_every_grapheme_whole(size: int) -> None:
    chunks = list(_chunks(GRAPHEMES, size))
    assert "".join(chunks) == GRAPHEMES
    for whole in ("👨‍👩‍👧‍👦", "🇫🇷", "🇩🇪", "👍🏽", "é", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"):
        assert any(whole in chunk for chunk in chunks), (whole, chunks)


SCHEMAS: dict[str, dict[str, Any]] = {
    "formats_and_bounds": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{2}-\\d{3}$"},
            "when": {"type": "string", "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "mail": {"type": "string", "format": "email"},
            "id": {"type": "string", "format": "uuid"},
            "site": {"type": "string", "format": "uri"},
            "ip": {"type": "string", "format": "ipv4"},
            "n": {"type": "integer", "minimum": 5, "exclusiveMaximum": 7},
            "x": {"type": "number", "multipleOf": 0.5, "minimum": 1},
            "short": {"type": "string", "minLength": 12, "maxLength": 12},
        },
        "required": ["code", "when", "day", "mail", "id", "site", "ip", "n", "x", "short"],
        "additionalProperties": False,
    },
    "recursive_ref": {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
                "required": ["name", "children"],
                "additionalProperties": False,
            }
        },
        "type": "object",
        "properties": {"root": {"$ref": "#/$defs/node"}},
        "required": ["root"],
    },
    "unions_and_arrays": {
        "type": "object",
        "properties": {
            "v": {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]},
            "w": {"anyOf": [{"type": "null"}, {"enum": ["a", "b"]}]},
            "arr": {
                "type": "array",
                "items": {"type": "integer"},
                "minItems": 3,
                "maxItems": 3,
                "uniqueItems": True,
            },
            "pair": {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": "boolean"}],
                "items": False,
            },
        },
        "required": ["v", "w", "arr", "pair"],
    },
    "all_of_and_draft7_definitions": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"kind": {"type": "string", "enum": ["x", "y"]}},
        "type": "object",
        "properties": {
            "kind": {"$ref": "#/definitions/kind"},
            "both": {
                "allOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                    {"properties": {"b": {"const": 3}}, "required": ["b"]},
                ]
            },
        },
        "required": ["kind", "both"],
    },
    "no_type_given": {"properties": {"q": {"type": "string"}}, "required": ["q"]},
}


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_generated_tool_input_is_valid_and_deterministic(name: str) -> None:
    schema = SCHEMAS[name]
    for seed in range(25):
        value = generate_tool_input(schema, seed)
        jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).validate(value)
        assert generate_tool_input(schema, seed) == value


def test_generated_instance_of_a_non_object_schema() -> None:
    schema = {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "minItems": 2}
    value = generate_instance(schema, 7)
    jsonschema.validate(value, schema)


def request_with(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": "claude-sonnet-5", "max_tokens": 512, "messages": [], **extra} | {
        "messages": [{"role": "user", "content": text}]
    }


WEATHER = {
    "name": "get_weather",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}


def test_auto_calls_a_tool_only_when_the_prompt_names_it() -> None:
    named = default_reply(request_with("How is the weather today?", tools=[WEATHER]))
    assert [b["type"] for b in named.content] == ["text", "tool_use"]
    unnamed = default_reply(request_with("say hi", tools=[WEATHER]))
    assert [b["type"] for b in unnamed.content] == ["text"]


def test_claude_code_system_reminders_are_not_the_prompt() -> None:
    request = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": "<system-reminder>Use the Bash tool</system-reminder>",
                    },
                    {"type": "text", "text": "say hi"},
                ],
            }
        ]
    }
    assert prompt_text(request) == "say hi"


def test_default_reply_quotes_non_ascii_prompts_exactly() -> None:
    prompt = "总结一下 👩‍💻🇯🇵"
    text = default_reply(request_with(prompt)).content[0]["text"]
    assert prompt in text


def test_thinking_respects_the_budget() -> None:
    request = request_with("x " * 3000, thinking={"type": "enabled", "budget_tokens": 1024})
    thinking = default_reply(request).content[0]
    assert thinking["type"] == "thinking"
    assert tokens.count_text(thinking["thinking"]) <= 1024


def test_auto_with_parallel_disabled_calls_only_the_first_named_tool() -> None:
    clock = {"name": "get_time", "input_schema": {"type": "object"}}
    request = request_with(
        "the time and the weather",
        tools=[WEATHER, clock],
        tool_choice={"type": "auto", "disable_parallel_tool_use": True},
    )
    calls = [b["name"] for b in default_reply(request).content if b["type"] == "tool_use"]
    assert calls == ["get_time"]


def test_thinking_display_defaults_to_the_models_display() -> None:
    request = request_with("hi", thinking={"type": "adaptive"})
    omitted = Model("m", "M", "2026-01-01", thinking_display="omitted")
    summarized = Model("m", "M", "2026-01-01", thinking_display="summarized")
    assert default_reply(request, omitted).content[0] == {"type": "thinking", "thinking": ""}
    assert default_reply(request, summarized).content[0]["thinking"]
