"""The recorder's pure parts, in process: stream folding (against the official SDK's own
accumulator), rule shapes, matches, redaction, the YAML, and recorded answers replayed by
the sandbox core exactly as they were recorded."""

from __future__ import annotations

import copy
import itertools
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from anthropic.lib.streaming._messages import accumulate_event
from hypothesis import given
from hypothesis import strategies as st

from messages_sandbox.errors import OutDirError
from messages_sandbox.fixtures.loader import load_fixture_set
from messages_sandbox.fixtures.templates import compile_value, new_environment, render_value
from messages_sandbox.headers import Caller
from messages_sandbox.message.build import Usage, build_message
from messages_sandbox.message.render import encode_event, iter_events
from messages_sandbox.message.reply import Reply
from messages_sandbox.recorder.document import dump
from messages_sandbox.recorder.exchange import Exchange, UpstreamError, exchange_rule, raw_text
from messages_sandbox.recorder.match import base_match, separate
from messages_sandbox.recorder.miss import miss_recording
from messages_sandbox.recorder.recording import Recording
from messages_sandbox.recorder.redact import REDACTED, Redactor
from messages_sandbox.recorder.stream import MessageAccumulator, Pacing, SseDecoder, StreamError
from messages_sandbox.sandbox import Sandbox
from messages_sandbox.settings import Settings

MODEL = "claude-sonnet-4-5"
USAGE = {
    "input_tokens": 12,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
    "output_tokens": 30,
    "service_tier": "standard",
    "inference_geo": "not_available",
}
CITATION = {
    "type": "char_location",
    "cited_text": "The grass is green.",
    "document_index": 0,
    "document_title": "Doc",
    "start_char_index": 0,
    "end_char_index": 19,
}
SEARCH = {
    "type": "web_search_tool_result",
    "tool_use_id": "srvtoolu_01Abc",
    "content": [
        {
            "type": "web_search_result",
            "url": "https://example.com",
            "title": "Example",
            "encrypted_content": "EqgfCioIARgBIiQ3YTA",
            "page_age": None,
        }
    ],
}


def message(content: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A Message as the real API sends one."""
    out = {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": content,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "stop_details": None,
        "usage": dict(USAGE),
    }
    out.update(extra)
    return out


ANSWERS = {
    "text": message([{"type": "text", "text": "Hello 👋🏽 there.\nSecond line."}]),
    "citations": message(
        [{"type": "text", "text": "The grass is green.", "citations": [CITATION]}]
    ),
    "tool_use": message(
        [
            {"type": "text", "text": "Let me check."},
            {
                "type": "tool_use",
                "id": "toolu_01A09q90qw90lq917835lq9",
                "name": "get_weather",
                "input": {"city": "Paris", "units": {"deg": "C"}, "days": [1, 2]},
                "caller": {"type": "direct"},
            },
        ],
        stop_reason="tool_use",
    ),
    "thinking": message(
        [
            {"type": "thinking", "thinking": "Weigh it.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA"},
            {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
            {"type": "text", "text": "B."},
        ]
    ),
    "server_tools": message(
        [
            {
                "type": "server_tool_use",
                "id": "srvtoolu_01Abc",
                "name": "web_search",
                "input": {"query": "grass colour"},
            },
            SEARCH,
            {"type": "text", "text": "Green."},
        ],
        usage={**USAGE, "server_tool_use": {"web_search_requests": 1, "web_fetch_requests": 0}},
    ),
    "stop_sequence": message(
        [{"type": "text", "text": "1, 2, 3"}],
        stop_reason="stop_sequence",
        stop_sequence="###",
        model="claude-sonnet-4-5-20250929",
    ),
    "refusal": message(
        [{"type": "text", "text": ""}],
        stop_reason="refusal",
        stop_details={"type": "refusal", "category": "cyber", "explanation": "No."},
    ),
    "template_like": message([{"type": "text", "text": "Use {{ name }} and {% raw %} here."}]),
}


def sse(msg: dict[str, Any], chunk_size: int = 7, newline: bytes = b"\n") -> bytes:
    data = b"".join(encode_event(name, event) for name, event in iter_events(msg, chunk_size))
    return data.replace(b"\n", newline)


def fold(data: bytes, cuts: list[int]) -> MessageAccumulator:
    decoder, acc = SseDecoder(), MessageAccumulator()
    edges = [0, *sorted(c % (len(data) + 1) for c in cuts), len(data)]
    for start, end in itertools.pairwise(edges):
        for name, raw in decoder.feed(data[start:end]):
            acc.add(name, raw)
    for name, raw in decoder.close():
        acc.add(name, raw)
    return acc


def sdk_fold(msg: dict[str, Any], chunk_size: int = 7) -> dict[str, Any]:
    snapshot = None
    buffers: dict[int, bytes] = {}
    for name, event in iter_events(msg, chunk_size):
        if name == "ping":
            continue
        event = copy.deepcopy(event)
        snapshot = accumulate_event(event=event, current_snapshot=snapshot, json_bufs=buffers)
    assert snapshot is not None
    return snapshot.to_dict(mode="json", exclude_unset=False)


@pytest.mark.parametrize("name", sorted(ANSWERS))
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_a_stream_folds_into_the_message_it_renders(name: str, newline: bytes) -> None:
    msg = ANSWERS[name]
    acc = fold(sse(msg, newline=newline), [5, 97, 98, 300])
    assert acc.complete and acc.error is None
    assert acc.message == orjson.loads(orjson.dumps(msg))


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_the_fold_agrees_with_the_official_sdk_accumulator(name: str) -> None:
    msg = ANSWERS[name]
    ours = orjson.loads(orjson.dumps(fold(sse(msg), []).message))
    # The SDK's models add the optional keys the wire left out, as None.
    assert _same_but_nones(ours, sdk_fold(msg))


def _same_but_nones(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        keys = set(ours) | set(theirs)
        return all(_same_but_nones(ours.get(k), theirs.get(k)) for k in keys)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(_same_but_nones, ours, theirs))
    return ours == theirs


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_a_stream_cut_anywhere_folds_the_same(cuts: list[int]) -> None:
    msg = ANSWERS["tool_use"]
    assert fold(sse(msg, chunk_size=3), cuts).message == orjson.loads(orjson.dumps(msg))


def test_a_stream_ending_with_an_error_event_is_not_complete() -> None:
    events = list(iter_events(ANSWERS["text"], 4))[:4]
    data = b"".join(encode_event(n, e) for n, e in events)
    data += b'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n'
    acc = fold(data, [])
    assert not acc.complete
    assert acc.error == {"type": "error", "error": {"type": "overloaded_error"}}


def test_an_event_that_does_not_fit_the_stream_is_a_stream_error() -> None:
    acc = MessageAccumulator()
    acc.add(
        "message_start", orjson.dumps({"type": "message_start", "message": message([])}).decode()
    )
    delta = {
        "type": "content_block_delta",
        "index": 3,
        "delta": {"type": "text_delta", "text": "x"},
    }
    with pytest.raises(StreamError, match="does not fit"):
        acc.add("content_block_delta", orjson.dumps(delta).decode())
    with pytest.raises(StreamError, match="invalid JSON"):
        acc.add("content_block_delta", "{not json")


def test_a_tool_call_cut_at_max_tokens_keeps_what_parsed() -> None:
    start = message([], stop_reason=None, usage=dict(USAGE))
    events = [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {
                    "type": "input_json_delta",
                    "partial_json": '{"city": "Paris", "days": 3, "note": "unfini',
                },
            },
        ),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "max_tokens"},
                "usage": {"output_tokens": 5},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    acc = fold(b"".join(encode_event(n, e) for n, e in events), [])
    assert acc.message is not None
    # As the SDK's partial parse: whole values kept, the string cut short dropped.
    assert acc.message["content"][0]["input"] == {"city": "Paris", "days": 3}
    assert acc.message["stop_reason"] == "max_tokens"


def test_pacing_is_what_a_replay_needs_to_write_at_that_pace() -> None:
    pacing = Pacing()
    for i, text in enumerate(["Hello", " there", " my", " friend"]):
        pacing.delta(0.25 + i * 0.1, {"type": "text_delta", "text": text})
    assert pacing.options() == {"first_token_ms": 250, "tokens_per_second": 10.0}
    burst = Pacing()
    burst.delta(0.0004, {"type": "text_delta", "text": "a"})
    burst.delta(0.0005, {"type": "text_delta", "text": "b"})
    assert burst.options() == {}  # one write: no pace to speak of


@given(st.text(alphabet="{}%#- raweնdxy\n", max_size=40))
def test_recorded_text_is_never_taken_for_a_template(text: str) -> None:
    compiled = compile_value(new_environment(), raw_text(text))
    assert render_value(compiled, {}) == text


@pytest.mark.parametrize(
    "text", ["{{ name }}", "{% endraw %}{{", "a {%- endraw -%} b {% raw %}", "{% if %}"]
)
def test_tricky_template_markers_come_back_unchanged(text: str) -> None:
    compiled = compile_value(new_environment(), raw_text(text))
    assert render_value(compiled, {}) == text


@given(st.text(max_size=60))
def test_the_yaml_holds_any_text_exactly(text: str) -> None:
    assert yaml.safe_load(dump([{"text": text}])) == [{"text": text}]


def req(text: str | list[Any], **extra: Any) -> dict[str, Any]:
    content = text
    return {
        "model": MODEL,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": content}],
        **extra,
    }


def tool_turn(first: str, result: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "max_tokens": 64,
        "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
        "messages": [
            {"role": "user", "content": first},
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}
                ],
            },
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": result}],
            },
        ],
    }


def test_a_lone_request_is_matched_by_model_text_and_turn() -> None:
    assert base_match(req("Hi")) == {"model": MODEL, "last_user_text": "Hi", "turn": 0}
    assert base_match(tool_turn("Paris?", "sunny")) == {
        "model": MODEL,
        "last_user_text": "",
        "turn": 1,
        "tool_result": True,
    }


def test_a_redacted_text_is_matched_by_an_anchored_regex() -> None:
    match = base_match(req(f"my key (v2) is {REDACTED}, ok"))
    assert match["last_user_text"] == {"regex": r"\Amy key \(v2\) is (?s:.+?), ok\Z"}
    pattern = re.compile(match["last_user_text"]["regex"])
    assert pattern.search("my key (v2) is sk-ant-x\ny, ok")
    assert not pattern.search("my key (v2) is sk-ant-x, ok!")


@pytest.mark.parametrize(
    ("requests", "added", "owners"),
    [
        ([req("Hi"), req("Hello")], set(), [0, 1]),
        ([req("Hi", system="Be brief."), req("Hi", system="Be long.")], {"system"}, [0, 1]),
        ([req("Hi"), req("Hi")], set(), [0, 0]),
        ([req("Hi"), req("Hi", temperature=0.2)], set(), [0, 0]),
        ([tool_turn("Paris?", "sunny"), tool_turn("Rome?", "sunny")], {"fields"}, [0, 1]),
        ([tool_turn("Paris?", "sunny"), tool_turn("Paris?", "rain")], {"tool_result"}, [0, 1]),
        (
            [req("Hi"), req("Hi", thinking={"type": "enabled", "budget_tokens": 1024})],
            {"thinking"},
            [0, 1],
        ),
    ],
)
def test_requests_sharing_the_base_facts_get_only_what_tells_them_apart(
    requests: list[dict[str, Any]], added: set[str], owners: list[int]
) -> None:
    matches, owner = separate(requests)
    assert owner == owners
    for request, match in zip(requests, matches, strict=True):
        base = base_match(request)
        assert {k for k in match if match[k] != base.get(k)} == added


def test_redaction_scrubs_the_key_secret_fields_and_patterns() -> None:
    redactor = Redactor([r"ORDER-\d+", "z*"])
    secrets = redactor.secrets({"X-Api-Key": "sk-ant-abcdefgh1234"})
    scrubbed = redactor.scrub(
        {
            "messages": [{"role": "user", "content": "key sk-ant-abcdefgh1234 for ORDER-42"}],
            "mcp_servers": [{"authorization_token": "t0k3n"}],
            "max_tokens": 5,
        },
        secrets,
    )
    assert scrubbed == {
        "messages": [{"role": "user", "content": "key <redacted> for <redacted>"}],
        "mcp_servers": [{"authorization_token": "<redacted>"}],
        "max_tokens": 5,
    }


def test_redaction_scrubs_the_key_where_it_is_a_dict_key_too() -> None:
    redactor = Redactor()
    secrets = redactor.secrets({"x-api-key": "sk-ant-abcdefgh1234"})
    block = {"type": "tool_use", "input": {"sk-ant-abcdefgh1234": {"note": "x"}}}
    assert redactor.scrub(block, secrets) == {
        "type": "tool_use",
        "input": {"<redacted>": {"note": "x"}},
    }


def test_an_upstream_error_becomes_an_error_rule_with_its_retry_headers() -> None:
    body = orjson.dumps(
        {
            "type": "error",
            "error": {
                "type": "rate_limit_error",
                "message": "Slow down",
                "details": {"error_code": "ramp_limit_exceeded"},
            },
            "request_id": "req_1",
        }
    )
    error = UpstreamError.of(429, body, {"Retry-After": "3", "X-Should-Retry": "true", "Via": "x"})
    assert error is not None
    rule = exchange_rule(Exchange(req("Hi"), error), rule_id="r")
    assert rule.body["error"] == {
        "type": "rate_limit_error",
        "status": 429,
        "message": "Slow down",
        "error_code": "ramp_limit_exceeded",
        "headers": {"retry-after": "3", "x-should-retry": "true"},
    }
    assert UpstreamError.of(502, b"<html>Bad gateway</html>", {}) is None


def test_what_the_format_has_no_place_for_is_left_out_and_said() -> None:
    answer = message(
        [{"type": "fallback", "from": "a", "to": "b"}, {"type": "text", "text": "x", "extra": 1}],
        container={"id": "container_1", "expires_at": "2025-01-01T00:00:00Z"},
    )
    rule = exchange_rule(Exchange(req("Hi"), answer), rule_id="r")
    assert rule.body["reply"]["text"] == "x"
    assert rule.notes == [
        "content.0: block type 'fallback' is not in the fixture format, left out",
        "content.1.extra: not in the fixture format, left out",
        "container: not in the fixture format, left out",
    ]


def test_recorded_answers_replay_exactly_in_strict_mode(tmp_path: Path) -> None:
    """Every answer shape, recorded, then answered by the sandbox core (no HTTP)."""
    recording = Recording(tmp_path / "fixtures" / "rec.yaml", source="test", tag="t")
    requests = {name: req(f"Question about {name}") for name in ANSWERS}
    for name, answer in ANSWERS.items():
        recording.add(Exchange(requests[name], answer, request_id=f"req_{name}", at=0))
    recording.add(Exchange(requests["text"], ANSWERS["citations"]))  # asked twice: a script
    assert load_fixture_set(tmp_path / "fixtures").summary().startswith(f"{len(ANSWERS)} rules (1")

    settings = Settings(fixtures=tmp_path / "fixtures", strict=True, data_dir=tmp_path / "d")
    sandbox = Sandbox(settings)
    caller = Caller("req_replay", "sk-test", "2023-06-01", headers={})
    for name, answer in ANSWERS.items():
        got = sandbox.pipeline.messages(caller, orjson.dumps(requests[name])).message
        want = orjson.loads(orjson.dumps(answer))
        assert {**got, "id": "_"} == {**want, "id": "_"}, name
    second = sandbox.pipeline.messages(caller, orjson.dumps(requests["text"])).message
    assert second["content"] == ANSWERS["citations"]["content"]


def test_a_model_the_catalogue_lacks_is_declared_so_the_replay_accepts_it(
    tmp_path: Path,
) -> None:
    fixtures = tmp_path / "fixtures"
    recording = Recording(
        fixtures / "rec.yaml", source="test", tag="t", known_model=lambda name: name == MODEL
    )
    recording.saw_models(
        [
            {
                "type": "model",
                "id": "claude-next-1",
                "display_name": "Next",
                "created_at": "2027-01-02T00:00:00Z",
                "max_tokens": 64000,
            }
        ]
    )
    request = {**req("Hi"), "model": "claude-next-1"}
    recording.add(
        Exchange(request, message([{"type": "text", "text": "New."}], model="claude-next-1"))
    )
    recording.add(Exchange(req("Hi there"), ANSWERS["text"]))
    [entry] = yaml.safe_load((fixtures / "rec.yaml").read_text())["models"]
    assert entry["display_name"] == "Next" and entry["max_tokens"] == 64000

    sandbox = Sandbox(Settings(fixtures=fixtures, strict=True, data_dir=tmp_path / "d"))
    caller = Caller("req_replay", "sk-test", "2023-06-01", headers={})
    got = sandbox.pipeline.messages(caller, orjson.dumps(request)).message
    assert got["content"] == [{"type": "text", "text": "New."}]


def test_a_recorded_signature_from_another_key_is_trusted_only_with_its_text(
    tmp_path: Path,
) -> None:
    fixtures = tmp_path / "fixtures"
    answer = ANSWERS["thinking"]
    Recording(fixtures / "rec.yaml", source="test", tag="t").add(Exchange(req("Think"), answer))
    sandbox = Sandbox(Settings(fixtures=fixtures, strict=True, data_dir=tmp_path / "d"))
    thinking = answer["content"][0]
    for text, ok in [(thinking["thinking"], True), ("Edited.", False)]:
        assert sandbox.pipeline.signer.verify(text, thinking["signature"]) is ok
    built = build_message(
        Reply(content=[{"type": "thinking", "thinking": "ours"}]),
        req("x"),
        Usage(1),
        sign=sandbox.pipeline.signer.sign,
    )
    assert sandbox.pipeline.signer.verify("ours", built["content"][0]["signature"])


def test_record_on_miss_refuses_a_directory_it_would_never_serve(tmp_path: Path) -> None:
    with pytest.raises(OutDirError, match="give --fixtures DIR"):
        miss_recording(None, None, upstream="u")
    with pytest.raises(OutDirError, match="outside the fixtures directory"):
        miss_recording(tmp_path / "fixtures", tmp_path / "elsewhere", upstream="u")
    inside = miss_recording(tmp_path / "fixtures", tmp_path / "fixtures" / "rec", upstream="u")
    assert inside.path.parent == tmp_path / "fixtures" / "rec"
