"""A field from a newer SDK: refused by default (as the real API), answered in ``warn`` mode with
the field taken out, logged once and named on the journal entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic
import orjson
import pytest
from conftest import InProcess, start_sandbox

from messages_sandbox.schema import RequestValidators, Stripped, ValidationFailed
from messages_sandbox.schema.unknown import HEADER_CAP

MODEL = "claude-haiku-4-5"
HEADER = "x-sandbox-unknown-fields"
FUTURE_BLOCK = {"type": "text", "text": "Hello from the future", "tone": "warm"}


@pytest.fixture(scope="module")
def warn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    srv = start_sandbox(tmp_path_factory.mktemp("warn"), SANDBOX_UNKNOWN_FIELDS="warn")
    yield srv
    srv.stop()


def ask(client: anthropic.Anthropic, **extra: Any) -> Any:
    return client.messages.with_raw_response.create(
        model=MODEL,
        max_tokens=32,
        messages=[{"role": "user", "content": [FUTURE_BLOCK]}],  # type: ignore[list-item]
        extra_body={"reasoning_mode": "deep", **extra},
    )


def test_a_field_from_the_future_is_a_400_by_default(client) -> None:
    with pytest.raises(anthropic.BadRequestError) as caught:
        ask(client)
    assert caught.value.body["error"]["message"] == (  # type: ignore[index]
        "messages.0.content.0.text.tone: Extra inputs are not permitted"
    )


def test_warn_mode_answers_and_records_the_fields(warn_server: InProcess) -> None:
    with warn_server.client() as client:
        raw = ask(client)
    assert raw.parse().content[0].type == "text"
    fields = ["messages.0.content.0.text.tone", "reasoning_mode"]
    assert raw.headers[HEADER] == ", ".join(fields)
    with warn_server.http() as http:
        entry = http.get(f"/_sandbox/requests/{raw.headers['request-id']}").json()
    assert entry["status"] == 200 and entry["unknown_fields"] == fields
    assert entry["body"]["reasoning_mode"] == "deep"  # the journal shows what was sent


def test_warn_mode_logs_each_path_once(warn_server: InProcess) -> None:
    with warn_server.client() as client:
        for _ in range(3):
            ask(client, once_only_field=1)
    lines = [line for line in warn_server.log().splitlines() if "once_only_field" in line]
    assert len(lines) == 1 and "SANDBOX_UNKNOWN_FIELDS=warn" in lines[0]


def test_warn_mode_never_logs_or_journals_the_callers_key_used_as_a_field_name(
    warn_server: InProcess,
) -> None:
    key = "sk-ant-api03-key-named-field-0123456789"
    with warn_server.client(api_key=key) as client:
        raw = ask(client, **{key: 1, "metadata": {f"note_{key}": 2}})
    assert raw.status_code == 200
    with warn_server.http() as http:
        entry = http.get(f"/_sandbox/requests/{raw.headers['request-id']}").json()
    assert len(entry["unknown_fields"]) == 4
    assert key not in orjson.dumps(entry).decode()
    assert "unknown request field metadata.note_<redacted" in warn_server.log()
    assert key not in warn_server.log()


def test_warn_mode_streams_and_counts_tokens_and_takes_beta_fields(warn_server: InProcess) -> None:
    with warn_server.client() as client:
        with client.beta.messages.stream(
            model=MODEL,
            max_tokens=32,
            messages=[{"role": "user", "content": "Hi"}],
            tools=[
                {
                    "name": "lookup",
                    "input_schema": {"type": "object"},
                    "deferred_hint": True,  # type: ignore[typeddict-unknown-key]
                }
            ],
            betas=["structured-outputs-2025-11-13"],
            extra_body={"reasoning_mode": "deep"},
        ) as stream:
            streamed = stream.get_final_message()
        counted = client.messages.with_raw_response.count_tokens(
            model=MODEL,
            messages=[{"role": "user", "content": [FUTURE_BLOCK]}],  # type: ignore[list-item]
        )
    assert streamed.content
    assert counted.parse().input_tokens > 0
    assert counted.headers[HEADER] == "messages.0.content.0.text.tone"


def test_warn_mode_answers_batch_params_without_their_unknown_fields(
    warn_server: InProcess,
) -> None:
    with warn_server.client() as client:
        params = {
            "model": MODEL,
            "max_tokens": 16,
            "messages": [{"role": "user", "content": [FUTURE_BLOCK]}],
            "reasoning_mode": "deep",
        }
        batch = client.messages.batches.create(requests=[{"custom_id": "a", "params": params}])  # type: ignore[list-item,typeddict-item]
        results = list(client.messages.batches.results(batch.id))
    assert [r.result.type for r in results] == ["succeeded"]


def test_warn_mode_still_reports_the_real_error(warn_server: InProcess) -> None:
    with warn_server.client() as client, pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(
            model=MODEL,
            max_tokens=-1,
            messages=[{"role": "user", "content": "Hi"}],
            extra_body={"reasoning_mode": "deep"},
        )
    assert caught.value.body["error"]["message"].startswith("max_tokens: ")  # type: ignore[index]


# -- in process: where the keys are, and what is left ----------------------------------------

WARN = RequestValidators("warn")
BASE: dict[str, Any] = {"model": MODEL, "max_tokens": 8}


def strip(body: dict[str, Any], *, beta: bool = False) -> Stripped:
    result = WARN.messages(orjson.dumps({**BASE, **body}), beta=beta)
    assert isinstance(result, Stripped)
    return result


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"messages": [], "future": 1}, "future"),
        (
            {"messages": [{"role": "user", "content": [FUTURE_BLOCK]}]},
            "messages.0.content.0.text.tone",
        ),
        ({"messages": [{"role": "assistant", "content": "x", "mood": 1}]}, "messages.0.mood"),
        ({"messages": [], "system": [{"type": "text", "text": "s", "x": 1}]}, "system.0.x"),
        (
            {"messages": [], "tools": [{"name": "t", "input_schema": {"type": "object"}, "x": 1}]},
            "tools.0.custom.x",
        ),
        (
            {
                "messages": [],
                "tools": [{"type": "web_search_20250305", "name": "web_search", "x": 1}],
            },
            "tools.0.web_search_20250305.x",
        ),
        ({"messages": [], "metadata": {"user_id": "u", "team": "a"}}, "metadata.team"),
        # a key spelled like the block's own `type` tag, one level down
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "image",
                                "source": {"type": "url", "url": "https://x/y.png", "url2": 1},
                            }
                        ],
                    }
                ]
            },
            "messages.0.content.0.image.source.url.url2",
        ),
    ],
)
def test_unknown_keys_are_found_at_any_depth_and_taken_out(body: dict, path: str) -> None:
    result = strip(body)
    assert result.unknown_fields == (path,)
    assert f'"{path.rsplit(".", 1)[-1]}":' not in orjson.dumps(result).decode()


def test_unknown_keys_in_the_beta_surface_and_count_tokens() -> None:
    body = {**BASE, "messages": [], "context_management": {"edits": [], "x": 1}}
    assert strip(body, beta=True).unknown_fields == ("context_management.x",)
    counted = WARN.count_tokens(orjson.dumps({**body, "max_tokens": None}), beta=True)
    assert isinstance(counted, Stripped) and "max_tokens" in counted.unknown_fields


def test_batch_params_are_left_as_they_were() -> None:
    params = {**BASE, "messages": [{"role": "user", "content": [dict(FUTURE_BLOCK)]}]}
    before = orjson.dumps(params)
    WARN.messages_params(params, beta=False)
    assert orjson.dumps(params) == before


def test_reject_mode_and_known_bodies_pay_nothing_extra() -> None:
    known = {**BASE, "messages": [{"role": "user", "content": "Hi"}]}
    assert type(WARN.messages(orjson.dumps(known), beta=False)) is dict
    with pytest.raises(ValidationFailed, match="future: Extra inputs are not permitted"):
        RequestValidators().messages(orjson.dumps({**known, "future": 1}), beta=False)


def test_the_header_escapes_odd_keys_and_is_bounded() -> None:
    many = {f"k{i}": i for i in range(HEADER_CAP + 5)}
    result = strip({"messages": [], "metadata": {"user_id": "u", "a, b\n": 1, **many}})
    parts = result.header().split(", ")
    assert parts[0] == "metadata.a%2C%20b%0A" and parts[-1] == "+6 more"
    assert len(parts) == HEADER_CAP + 1


def test_a_body_nested_as_deep_as_the_parser_allows_is_stripped_too() -> None:
    from messages_sandbox.nesting import dumps

    deep: Any = 1
    for _ in range(1000):
        deep = {"a": deep}
    turns = [
        {"role": "user", "content": "hi"},
        {"role": "assistant",
         "content": [{"type": "tool_use", "id": "toolu_1", "name": "t", "input": deep}]},
        {"role": "user",
         "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}]},
    ]  # fmt: skip
    body = {**BASE, "messages": turns, "future": 1}
    result = WARN.messages(dumps(body), beta=False)  # copied without recursion
    assert isinstance(result, Stripped) and result.unknown_fields == ("future",)
