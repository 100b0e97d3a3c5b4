"""Playback of fixture rules through the SDK (in process): scripts (both modes, every `after`), every
reply kind, coded errors, templates, and every stream option and fault."""

# ruff: noqa: E501 - tables of YAML rules and requests read best one per line

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest
from conftest import HEADERS, InProcess, start_sandbox

MODEL = "claude-sonnet-4-6"

FILES = {
    "scripts.yaml": """
        rules:
          - id: story
            match: {last_user_text: "Tell the story"}
            script:
              advance: session
              after: stop
              steps:
                - reply: {text: "Once"}
                - reply: {text: "upon"}
                - reply: {text: "a time"}
          - id: story-over
            priority: -1
            match: {last_user_text: "Tell the story"}
            reply: {text: "The end."}
          - id: cycle
            match: {last_user_text: "Cycle"}
            script:
              advance: session
              after: cycle
              steps: [{reply: {text: "tick"}}, {reply: {text: "tock"}}]
          - id: by-turn
            match: {any_text: "Count turns"}
            script:
              advance: turn
              after: stop
              steps: [{reply: {text: "zero"}}, {reply: {text: "one"}}]
    """,
    "replies.yaml": """
        rules:
          - id: from-file
            match: {last_user_text: "Long answer"}
            reply: {text_file: texts/long.md}
          - id: kinds
            match: {last_user_text: "All kinds"}
            reply:
              content:
                - {type: redacted_thinking, data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"}
                - {type: server_tool_use, name: web_search, input: {query: "sandbox"}}
                - type: web_search_tool_result
                  content:
                    - {type: web_search_result, url: "https://example.com", title: Example, encrypted_content: abc, page_age: null}
                - {type: text, text: "Found it."}
              stop_reason: end_turn
              usage: {output_tokens: 42}
              model: claude-sonnet-4-6-custom
          - id: refusal
            match: {last_user_text: "Refuse"}
            reply:
              text: ""
              stop_reason: refusal
              stop_details: {type: refusal, category: cyber, explanation: "Not allowed."}
          - id: pinned
            match: {last_user_text: "Pinned STOP here"}
            reply: {text: "alpha STOP beta", apply_limits: false, stop_sequence: null}
          - id: limited
            match: {last_user_text: "Limited"}
            reply: {text: "alpha STOP beta"}
          - id: templated
            match: {last_user_text: {regex: "^Echo (?P<word>\\\\w+)$"}}
            reply: {text: "{{ match.word | upper }} on {{ model }} at turn {{ turn }}"}
          - id: broken-template
            match: {last_user_text: "Broken template"}
            reply: {text: "{{ request.metadata.nothing_here }}"}
          - id: overloaded
            match: {last_user_text: "Overloaded"}
            error: {type: overloaded_error}
          - id: conflict
            match: {last_user_text: "Conflict"}
            error: {type: invalid_request_error, status: 409}
          - id: coded
            match: {last_user_text: "Ramp"}
            error: {type: rate_limit_error, error_code: ramp_limit_exceeded, headers: {x-should-retry: false}}
    """,
    "custom-model.yaml": """
        models:
          - {id: sandbox-custom-1, display_name: Sandbox Custom 1, created_at: "2025-01-01", max_tokens: 1000}
        rules:
          - id: custom-model
            match: {model: sandbox-custom-1}
            reply: {text: "custom model here"}
    """,
    "streams.yaml": """
        defaults:
          stream: {chunk_size: 4}
        rules:
          - id: small-chunks
            match: {last_user_text: "Chunks"}
            reply: {text: "one two three four five six"}
            stream: {chunk_size: 3}
          - id: no-stop
            match: {last_user_text: "No stop"}
            reply: {text: "unfinished"}
            stream: {omit_message_stop: true}
          - id: api-error-mid-stream
            match: {last_user_text: "Mid error"}
            reply: {text: "partial answer here"}
            stream: {error_after_events: 3, error: {type: api_error, message: "Internal server error"}}
          - id: pinging
            match: {last_user_text: "Pings"}
            reply: {text: "slow"}
            stream: {first_token_ms: 120, ping_interval_ms: 30}
          - id: first-token
            match: {last_user_text: "First token"}
            reply: {text: "one two three"}
            stream: {first_token_ms: 500, tokens_per_second: 1, ping_interval_ms: 100}
          - id: ping-race
            match: {last_user_text: "Ping race"}
            reply: {text: "a b c d e f g h i j k l m n o p q r s t u v w x y z"}
            stream: {chunk_size: 1, tokens_per_second: 400, ping_interval_ms: 1}
    """,
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    root = tmp_path_factory.mktemp("playback")
    fixtures = root / "fixtures"
    (fixtures / "texts").mkdir(parents=True)
    (fixtures / "texts" / "long.md").write_text("A long answer\nkept in its own file.\n")
    for name, text in FILES.items():
        (fixtures / name).write_text(textwrap.dedent(text), encoding="utf-8")
    server = start_sandbox(root, fixtures)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sdk(engine: InProcess) -> Iterator[anthropic.Anthropic]:
    with engine.client() as client:
        yield client


def ask(sdk: anthropic.Anthropic, text: str, session: str | None = None, **kw: Any) -> Any:
    headers = {"x-sandbox-session": session} if session else {}
    return sdk.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=kw.pop("max_tokens", 256),
        messages=kw.pop("messages", [{"role": "user", "content": text}]),
        extra_headers=headers,
        **kw,
    )


def said(raw: Any) -> str:
    return "".join(b.text for b in raw.parse().content if b.type == "text")


def sse(engine: InProcess, text: str) -> list[tuple[str, str]]:
    body = {"model": MODEL, "max_tokens": 256, "stream": True}
    body["messages"] = [{"role": "user", "content": text}]
    with engine.http() as http:
        raw = http.post("/v1/messages", json=body, headers=HEADERS)
    events = []
    for chunk in raw.text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in chunk.splitlines() if ": " in line)
        if "event" in lines:
            events.append((lines["event"], lines.get("data", "")))
    return events


# -- scripts ---------------------------------------------------------------------------------


def test_session_scripts_advance_per_session_when_interleaved(sdk: anthropic.Anthropic) -> None:
    a, b = f"a-{uuid.uuid4().hex}", f"b-{uuid.uuid4().hex}"
    seen = [
        (said(r), r.headers["x-sandbox-step"], r.headers["x-sandbox-session"])
        for r in (ask(sdk, "Tell the story", s) for s in (a, b, a, a, b))
    ]
    assert seen == [
        ("Once", "1/3", a),
        ("Once", "1/3", b),
        ("upon", "2/3", a),
        ("a time", "3/3", a),
        ("upon", "2/3", b),
    ]


def test_finished_script_with_after_stop_falls_through_to_the_next_rule(
    sdk: anthropic.Anthropic,
) -> None:
    session = f"s-{uuid.uuid4().hex}"
    for _ in range(3):
        ask(sdk, "Tell the story", session)
    last = ask(sdk, "Tell the story", session)
    assert (said(last), last.headers["x-sandbox-rule"]) == ("The end.", "story-over")


def test_cycle_starts_over_and_the_default_session_is_global(sdk: anthropic.Anthropic) -> None:
    session = f"c-{uuid.uuid4().hex}"
    assert [said(ask(sdk, "Cycle", session)) for _ in range(3)] == ["tick", "tock", "tick"]
    assert ask(sdk, "Cycle").headers["x-sandbox-session"] == "global"


def test_turn_scripts_follow_the_conversation_and_stop_after_the_last_step(
    sdk: anthropic.Anthropic,
) -> None:
    history: list[dict[str, Any]] = [{"role": "user", "content": "Count turns"}]
    assert said(ask(sdk, "", messages=history)) == "zero"
    history += [{"role": "assistant", "content": "zero"}, {"role": "user", "content": "again"}]
    assert said(ask(sdk, "", messages=history)) == "one"
    history += [{"role": "assistant", "content": "one"}, {"role": "user", "content": "again"}]
    third = ask(sdk, "", messages=history)
    assert "x-sandbox-rule" not in third.headers  # stopped matching: default responder


# -- reply kinds -----------------------------------------------------------------------------


def test_text_file_reply_reads_the_referenced_file(sdk: anthropic.Anthropic) -> None:
    assert said(ask(sdk, "Long answer")) == "A long answer\nkept in its own file.\n"


@pytest.mark.parametrize("stream", [False, True])
def test_every_block_kind_and_the_overrides_round_trip(
    sdk: anthropic.Anthropic, stream: bool
) -> None:
    kwargs: dict[str, Any] = {
        "model": MODEL,
        "max_tokens": 256,
        "messages": [{"role": "user", "content": "All kinds"}],
    }
    if stream:
        with sdk.messages.stream(**kwargs) as events:
            message = events.get_final_message()
    else:
        message = sdk.messages.create(**kwargs)
    kinds = [b.type for b in message.content]
    assert kinds == ["redacted_thinking", "server_tool_use", "web_search_tool_result", "text"]
    assert message.content[2].tool_use_id == message.content[1].id
    assert message.content[1].id.startswith("srvtoolu_")
    assert message.usage.output_tokens == 42
    assert message.model == "claude-sonnet-4-6-custom"
    assert message.usage.server_tool_use.web_search_requests == 1


def test_refusal_with_stop_details(sdk: anthropic.Anthropic) -> None:
    message = ask(sdk, "Refuse").parse()
    assert message.stop_reason == "refusal"
    assert message.stop_details.category == "cyber"


def test_apply_limits_false_pins_the_text_past_stop_sequences(sdk: anthropic.Anthropic) -> None:
    pinned = ask(sdk, "Pinned STOP here", stop_sequences=["STOP"]).parse()
    limited = ask(sdk, "Limited", stop_sequences=["STOP"]).parse()
    assert (pinned.content[0].text, pinned.stop_reason) == ("alpha STOP beta", "end_turn")
    assert (limited.content[0].text, limited.stop_reason) == ("alpha ", "stop_sequence")


def test_templates_see_captures_model_and_turn(sdk: anthropic.Anthropic) -> None:
    assert said(ask(sdk, "Echo hello")) == f"HELLO on {MODEL} at turn 0"


def test_a_template_failing_on_the_request_is_a_500_that_names_the_rule(
    sdk: anthropic.Anthropic,
) -> None:
    # (A name no template can see is refused when the fixtures load: test_fixtures_load.)
    with pytest.raises(anthropic.InternalServerError) as caught:
        ask(sdk, "Broken template")
    assert "`broken-template`" in caught.value.message
    assert "has no attribute 'metadata'" in caught.value.message
    assert caught.value.response.headers["x-should-retry"] == "false"


@pytest.mark.parametrize(("text", "status"), [("Overloaded", 529), ("Conflict", 409)])
def test_a_scripted_error_the_sdks_retry_says_x_should_retry_true(
    sdk: anthropic.Anthropic, text: str, status: int
) -> None:
    with pytest.raises(anthropic.APIStatusError) as caught:
        sdk.with_options(max_retries=0).messages.create(
            model=MODEL, max_tokens=8, messages=[{"role": "user", "content": text}]
        )
    assert caught.value.status_code == status
    assert caught.value.response.headers["x-should-retry"] == "true"


def test_a_scripted_error_keeps_the_x_should_retry_it_sets(sdk: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.RateLimitError) as caught:
        ask(sdk, "Ramp")
    assert caught.value.response.headers["x-should-retry"] == "false"


def test_error_code_maps_to_the_sdks_coded_subclass(sdk: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.RateLimitError) as caught:
        ask(sdk, "Ramp")
    assert type(caught.value).__name__ == "RampLimitExceededError"
    assert caught.value.body["error"]["details"] == {"error_code": "ramp_limit_exceeded"}


def test_models_declared_in_fixture_files_join_the_catalogue(sdk: anthropic.Anthropic) -> None:
    message = sdk.messages.create(
        model="sandbox-custom-1", max_tokens=64, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.content[0].text == "custom model here"
    assert sdk.models.retrieve("sandbox-custom-1").display_name == "Sandbox Custom 1"


# -- stream options and faults --------------------------------------------------------------


def test_rule_chunk_size_overrides_the_fixture_default(engine: InProcess) -> None:
    deltas = [d for n, d in sse(engine, "Chunks") if n == "content_block_delta"]
    texts = [anthropic_text(d) for d in deltas]
    assert "".join(texts) == "one two three four five six"
    assert len(texts) >= 6


def test_fixture_default_stream_options_apply_to_default_answers(engine: InProcess) -> None:
    events = sse(engine, "Nothing matches this one")
    texts = [anthropic_text(d) for n, d in events if n == "content_block_delta"]
    assert len(texts) > 5 and max(len(t) for t in texts) <= 12


def test_omit_message_stop_ends_after_message_delta(engine: InProcess) -> None:
    names = [n for n, _ in sse(engine, "No stop")]
    assert names[-1] == "message_delta" and "message_stop" not in names


def test_error_after_events_sends_the_configured_error_event(
    engine: InProcess, sdk: anthropic.Anthropic
) -> None:
    names = [n for n, _ in sse(engine, "Mid error")]
    assert names == ["message_start", "content_block_start", "ping", "error"]
    with (
        pytest.raises(anthropic.APIStatusError) as caught,
        sdk.messages.stream(
            model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "Mid error"}]
        ) as stream,
    ):
        stream.get_final_message()
    assert caught.value.body["error"] == {"type": "api_error", "message": "Internal server error"}


def test_pings_fill_a_pause_longer_than_the_ping_interval(engine: InProcess) -> None:
    names = [n for n, _ in sse(engine, "Pings")]
    before_first_delta = names[: names.index("content_block_delta")]
    assert before_first_delta.count("ping") >= 2


def test_first_token_ms_is_the_whole_wait_before_the_first_delta(engine: InProcess) -> None:
    # 500 ms filled by a ping every 100 ms: 4 pings. The first delta once also waited for
    # its own token at 1 token/s, which made it 14.
    names = [n for n, _ in sse(engine, "First token")]
    keepalive = names[names.index("ping") + 1 : names.index("content_block_delta")]
    assert keepalive == ["ping"] * 4


def test_no_ping_ever_follows_message_stop(engine: InProcess) -> None:
    for _ in range(10):
        names = [n for n, _ in sse(engine, "Ping race")]
        assert names[-1] == "message_stop", names[-5:]
        assert names.count("message_stop") == 1


def anthropic_text(data: str) -> str:
    import json

    delta = json.loads(data)["delta"]
    return delta.get("text", "")
