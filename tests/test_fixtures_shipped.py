"""Every shipped fixture under fixtures/, played through the official SDK on the session
sandbox (in process): the documented answers, the agent loop, the faults exactly as the SDK
sees them. The paced stream and the dropped connection are read from a real server."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import anthropic
import httpx
import jsonschema
import pytest
import yaml
from conftest import FIXTURES, HEADERS, InProcess, Server

SEED_MODEL = "claude-sonnet-4-5"
MODEL = "claude-sonnet-4-6"
WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
        "required": ["location"],
    },
}

# The seed model is deprecated in the SDK; its warning is expected here.
seed_warning = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _b64(path: str) -> str:
    return base64.b64encode((FIXTURES / path).read_bytes()).decode()


def _image(path: str, media_type: str) -> dict[str, Any]:
    return {
        "type": "image",
        "source": {"type": "base64", "media_type": media_type, "data": _b64(path)},
    }


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


@seed_warning
def test_seed_question_gets_the_documented_answer(client: anthropic.Anthropic) -> None:
    raw = client.messages.with_raw_response.create(
        model=SEED_MODEL, max_tokens=256, messages=_user("请总结这张图片里的关键信息")
    )
    message = raw.parse()
    assert raw.headers["x-sandbox-rule"] == "seed-summary"
    assert [b.type for b in message.content] == ["text"]
    assert message.content[0].text == "图片中是一张产品宣传海报。"
    assert message.stop_reason == "end_turn"


@seed_warning
def test_seed_question_with_the_poster_attached_matches_the_image_rule(
    client: anthropic.Anthropic,
) -> None:
    content = [
        _image("media/poster.png", "image/png"),
        {"type": "text", "text": "请总结这张图片里的关键信息"},
    ]
    raw = client.messages.with_raw_response.create(
        model=SEED_MODEL, max_tokens=512, messages=[{"role": "user", "content": content}]
    )
    assert raw.headers["x-sandbox-rule"] == "seed-summary-poster"
    assert raw.parse().content[0].text.startswith("图片中是一张产品宣传海报：")


@pytest.mark.parametrize("stream", [False, True])
def test_weather_agent_loop_calls_the_tool_then_answers_from_its_result(
    client: anthropic.Anthropic, stream: bool
) -> None:
    def ask(messages: list[dict[str, Any]]) -> anthropic.types.Message:
        kwargs: dict[str, Any] = {
            "model": MODEL,
            "max_tokens": 512,
            "tools": [WEATHER_TOOL],
            "messages": messages,
        }
        if stream:
            with client.messages.stream(**kwargs) as events:
                return events.get_final_message()
        return client.messages.create(**kwargs)

    messages = _user("Weather demo: what's the weather in Paris?")
    first = ask(messages)
    assert first.stop_reason == "tool_use"
    call = first.content[-1]
    assert call.type == "tool_use" and call.name == "get_weather"
    assert call.input == {"location": "Paris", "unit": "celsius"}
    messages += [
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": call.id, "content": "18°C and sunny"}
            ],
        },
    ]
    final = ask(messages)
    assert final.stop_reason == "end_turn"
    assert final.content[0].text == "It is 18°C and sunny in Paris right now."


def test_thinking_then_a_tool_call_with_input_generated_from_the_schema(
    client: anthropic.Anthropic,
) -> None:
    tool = {
        "name": "get_stock_price",
        "description": "Latest price",
        "input_schema": {
            "type": "object",
            "properties": {"ticker": {"type": "string", "pattern": "^[A-Z]{1,5}$"}},
            "required": ["ticker"],
            "additionalProperties": False,
        },
    }
    with client.messages.stream(
        model=MODEL,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 2048},
        tools=[tool],
        messages=_user("Thinking demo: how is ACME trading?"),
    ) as stream:
        message = stream.get_final_message()
    assert [b.type for b in message.content] == ["thinking", "text", "tool_use"]
    assert "get_stock_price" in message.content[0].thinking
    assert message.content[0].signature
    jsonschema.validate(message.content[2].input, tool["input_schema"])
    assert message.stop_reason == "tool_use"


def test_structured_answer_parses_against_the_requested_schema(
    client: anthropic.Anthropic,
) -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "email": {"type": "string"},
            "plan": {"type": "string"},
            "seats": {"type": "integer"},
        },
        "required": ["name", "email", "plan", "seats"],
        "additionalProperties": False,
    }
    message = client.messages.create(
        model=MODEL,
        max_tokens=512,
        messages=_user("Structured demo: extract the contact from this email."),
        output_config={"format": {"type": "json_schema", "schema": schema}},
    )
    data = json.loads(message.content[0].text)
    jsonschema.validate(data, schema)
    assert data["name"] == "Ada Lovelace"


def test_citations_point_into_the_attached_document(client: anthropic.Anthropic) -> None:
    document = {
        "type": "document",
        "source": {
            "type": "text",
            "media_type": "text/plain",
            "data": "The grass is green. The sky is blue.",
        },
        "title": "My Document",
        "citations": {"enabled": True},
    }
    message = client.messages.create(
        model=MODEL,
        max_tokens=512,
        messages=[
            {
                "role": "user",
                "content": [document, {"type": "text", "text": "Citations demo: what colours?"}],
            }
        ],
    )
    cited = [b for b in message.content if b.citations]
    assert [c.citations[0].cited_text for c in cited] == ["The grass is green.", "The sky is blue."]
    assert cited[0].citations[0].type == "char_location"


def test_video_frames_and_transcript_get_a_summary(client: anthropic.Anthropic) -> None:
    frames = [_image(f"media/video/frame-0{i}.jpg", "image/jpeg") for i in (1, 2, 3)]
    prompt = "Summarize this video.\n\nTranscript:\n[00:00] Welcome to the demo..."
    raw = client.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=512,
        messages=[{"role": "user", "content": [*frames, {"type": "text", "text": prompt}]}],
    )
    assert raw.headers["x-sandbox-rule"] == "video-summary"
    assert "in 3 scenes" in raw.parse().content[0].text


def test_paced_stream_pings_while_waiting_and_still_accumulates(server: Server) -> None:
    body = {
        "model": MODEL,
        "max_tokens": 512,
        "stream": True,
        "messages": _user("Paced demo: show me"),
    }
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        raw = http.post("/v1/messages", json=body, headers=HEADERS)
    names = [line[7:] for line in raw.text.splitlines() if line.startswith("event: ")]
    assert raw.headers["x-sandbox-rule"] == "paced-stream"
    # 300 ms to the first token with a 250 ms ping interval: a ping before the first delta.
    first_delta = names.index("content_block_delta")
    assert "ping" in names[:first_delta]
    assert names[-1] == "message_stop"


def test_429_carries_retry_after_and_the_sdk_raises_rate_limit_error(
    client: anthropic.Anthropic,
) -> None:
    with pytest.raises(anthropic.RateLimitError) as caught:
        client.messages.create(model=MODEL, max_tokens=64, messages=_user("Error demo: 429"))
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.type == "rate_limit_error"
    assert caught.value.request_id and caught.value.request_id.startswith("req_")


def test_529_is_an_overloaded_error(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.OverloadedError) as caught:
        client.messages.create(model=MODEL, max_tokens=64, messages=_user("Error demo: 529"))
    assert caught.value.status_code == 529
    assert caught.value.body["error"] == {"type": "overloaded_error", "message": "Overloaded"}


def test_500_is_an_internal_server_error_and_is_retried(sandbox: InProcess) -> None:
    with (
        sandbox.client(max_retries=1) as sdk,
        pytest.raises(anthropic.InternalServerError) as caught,
    ):
        sdk.messages.with_raw_response.create(
            model=MODEL, max_tokens=64, messages=_user("Error demo: 500")
        )
    assert caught.value.status_code == 500
    assert caught.value.response.headers["x-sandbox-rule"] == "error-500"


def test_mid_stream_overloaded_error_raises_api_status_error_after_partial_text(
    client: anthropic.Anthropic,
) -> None:
    seen: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError) as caught,
        client.messages.stream(
            model=MODEL, max_tokens=256, messages=_user("Error demo: mid-stream")
        ) as stream,
    ):
        for event in stream:
            seen.append(event.type)
    assert type(caught.value) is anthropic.APIStatusError  # built from the 200 response
    assert caught.value.status_code == 200
    assert caught.value.body["error"]["type"] == "overloaded_error"
    assert seen[:3] == ["message_start", "content_block_start", "content_block_delta"]


def test_dropped_stream_surfaces_as_a_transport_error_after_partial_events(
    server: Server,
) -> None:
    seen: list[str] = []
    with (
        server.client() as client,
        pytest.raises(Exception) as caught,
        client.messages.stream(
            model=MODEL, max_tokens=256, messages=_user("Error demo: dropped stream")
        ) as stream,
    ):
        for event in stream:
            seen.append(event.type)
    assert type(caught.value).__name__ in ("RemoteProtocolError", "APIConnectionError")
    assert "message_stop" not in seen and "message_start" in seen


def test_retry_demo_sdk_sees_one_successful_call_after_a_529(sandbox: InProcess) -> None:
    session = f"retry-{uuid.uuid4().hex}"
    with sandbox.client(max_retries=2, default_headers={"x-sandbox-session": session}) as sdk:
        raw = sdk.messages.with_raw_response.create(
            model=MODEL, max_tokens=64, messages=_user("Retry demo: succeed on the second attempt")
        )
    assert raw.retries_taken == 1
    assert raw.headers["x-sandbox-step"] == "2/2"
    assert raw.headers["x-sandbox-session"] == session
    assert raw.parse().content[0].text == "Succeeded on the second attempt."


def test_ordinary_requests_are_not_hijacked_by_shipped_rules(client: anthropic.Anthropic) -> None:
    raw = client.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=64,
        tools=[WEATHER_TOOL],
        messages=_user("What's the weather in Paris?"),
    )
    assert "x-sandbox-rule" not in raw.headers


def test_every_shipped_fixture_file_validates_against_the_published_schema() -> None:
    schema = json.loads((FIXTURES / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = [p for p in sorted(FIXTURES.rglob("*.yaml"))]
    assert len(files) >= 8
    for path in files:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path


def test_published_schema_is_fresh() -> None:
    import sys

    sys.path.insert(0, str(FIXTURES.parent / "scripts"))
    from gen_fixture_schema import render

    assert (FIXTURES / "schema.json").read_text(encoding="utf-8") == render(), (
        "fixtures/schema.json is stale: run python scripts/gen_fixture_schema.py"
    )


def test_every_fixture_key_is_documented_in_the_readme() -> None:
    from pydantic import BaseModel

    from messages_sandbox.fixtures import format as fixture_models
    from messages_sandbox.fixtures import format_blocks as fixture_blocks
    from messages_sandbox.fixtures import format_match as fixture_match

    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    models = [
        m
        for module in (fixture_match, fixture_models, fixture_blocks)
        for m in vars(module).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == module.__name__
    ]
    keys = {f.alias or name for m in models for name, f in m.model_fields.items()}
    keys |= set(fixture_blocks.RESULT_TYPES)
    missing = sorted(k for k in keys if f"`{k}`" not in readme)
    assert missing == []
