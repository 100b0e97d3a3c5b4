"""Every matcher, through the SDK on a strict sandbox (in process): each rule is gated by an `x-case`
header, a request that satisfies the matcher gets the rule, one that does not gets the strict
400 whose near-miss text names the failed condition (expected vs actual)."""

# ruff: noqa: E501 - tables of YAML rules and requests read best one per line

from __future__ import annotations

import base64
import hashlib
import io
import textwrap
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest
from conftest import FIXTURES, InProcess, start_sandbox
from PIL import Image

MODEL = "claude-sonnet-4-6"
PNG = (FIXTURES / "media" / "poster.png").read_bytes()
PNG_SHA = hashlib.sha256(PNG).hexdigest()
TOOL = {"name": "lookup", "input_schema": {"type": "object"}}
OTHER = {"name": "other", "input_schema": {"type": "object"}}

RULES = f"""
rules:
  - {{id: model-glob, match: {{headers: {{x-case: model}}, model: {{glob: "claude-*-4-6"}}}}, reply: {{text: ok}}}}
  - {{id: last-user-text, match: {{headers: {{x-case: last}}, last_user_text: {{contains: needle, ignore_case: true}}}}, reply: {{text: ok}}}}
  - {{id: any-text, match: {{headers: {{x-case: any_text}}, any_text: {{startswith: "first"}}}}, reply: {{text: ok}}}}
  - {{id: system, match: {{headers: {{x-case: system}}, system: {{regex: "^You are (?P<who>\\\\w+)"}}}}, reply: {{text: "{{{{ match.who }}}}"}}}}
  - {{id: tools, match: {{headers: {{x-case: tools}}, tools: {{include: [lookup], count: 1}}}}, reply: {{text: ok}}}}
  - {{id: tool-choice, match: {{headers: {{x-case: tool_choice}}, tool_choice: {{type: tool, name: lookup}}}}, reply: {{text: ok}}}}
  - {{id: tool-result, match: {{headers: {{x-case: tool_result}}, tools: {{include: [lookup]}}, tool_result: {{name: lookup, is_error: true}}}}, reply: {{text: ok}}}}
  - {{id: turn, match: {{headers: {{x-case: turn}}, turn: {{gte: 1}}}}, reply: {{text: ok}}}}
  - {{id: stream, match: {{headers: {{x-case: stream}}, stream: true}}, reply: {{text: ok}}}}
  - {{id: thinking, match: {{headers: {{x-case: thinking}}, thinking: true}}, reply: {{text: ok}}}}
  - {{id: images, match: {{headers: {{x-case: images}}, images: {{count: 1, media_type: image/png, sha256: {PNG_SHA}}}}}, reply: {{text: ok}}}}
  - {{id: documents, match: {{headers: {{x-case: documents}}, documents: true}}, reply: {{text: ok}}}}
  - {{id: metadata, match: {{headers: {{x-case: metadata}}, metadata_user_id: user-42}}, reply: {{text: ok}}}}
  - {{id: beta, match: {{headers: {{x-case: beta}}, beta: {{startswith: "files-api"}}}}, reply: {{text: ok}}}}
  - {{id: header, match: {{headers: {{x-case: header, x-tenant: {{in: [acme, globex]}}}}}}, reply: {{text: ok}}}}
  - {{id: fields, match: {{headers: {{x-case: fields}}, fields: {{"messages[*].role": assistant, "max_tokens": {{lte: 500}}, "stop_sequences": {{exists: false}}}}}}, reply: {{text: ok}}}}
  - {{id: any, match: {{headers: {{x-case: any}}, any: [{{last_user_text: red}}, {{last_user_text: blue}}]}}, reply: {{text: ok}}}}
  - {{id: all, match: {{headers: {{x-case: all}}, all: [{{last_user_text: {{contains: a}}}}, {{last_user_text: {{contains: b}}}}]}}, reply: {{text: ok}}}}
  - {{id: not, match: {{headers: {{x-case: not}}, not: {{last_user_text: {{contains: forbidden}}}}}}, reply: {{text: ok}}}}
"""


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    root = tmp_path_factory.mktemp("matching")
    fixtures = root / "fixtures"
    fixtures.mkdir()
    (fixtures / "matchers.yaml").write_text(textwrap.dedent(RULES), encoding="utf-8")
    server = start_sandbox(root, fixtures, SANDBOX_STRICT="1")
    yield server
    server.stop()


def user(content: Any) -> dict[str, Any]:
    return {"role": "user", "content": content}


def other_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def png_block(raw: bytes = PNG) -> dict[str, Any]:
    data = base64.b64encode(raw).decode()
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}


def doc_block() -> dict[str, Any]:
    return {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"}}


TOOL_TURN = [
    user("use the tool"),
    {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}}],
    },
]


def tool_result(is_error: bool) -> dict[str, Any]:
    block = {
        "type": "tool_result",
        "tool_use_id": "toolu_1",
        "content": "boom",
        "is_error": is_error,
    }
    return user([block])


# (case, rule id, kwargs that match, kwargs that do not, text the near miss must contain)
CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], str]] = [
    ("model", "model-glob", {}, {"model": "claude-opus-4-5"}, "match.model: expected glob"),
    ("last", "last-user-text", {"messages": [user("a NEEDLE here")]}, {}, "last_user_text"),
    (
        "any_text",
        "any-text",
        {"messages": [user("first words"), {"role": "assistant", "content": "x"}, user("y")]},
        {},
        "some value startswith 'first'",
    ),
    ("system", "system", {"system": "You are Ada, a helper"}, {"system": "Hi"}, "match.system"),
    ("tools", "tools", {"tools": [TOOL]}, {"tools": [TOOL, OTHER]}, "match.tools.count"),
    (
        "tool_choice",
        "tool-choice",
        {"tools": [TOOL], "tool_choice": {"type": "tool", "name": "lookup"}},
        {"tools": [TOOL, OTHER], "tool_choice": {"type": "tool", "name": "other"}},
        "tool_choice.name: expected == 'lookup', got 'other'",
    ),
    (
        "tool_result",
        "tool-result",
        {"tools": [TOOL], "messages": [*TOOL_TURN, tool_result(True)]},
        {"tools": [TOOL], "messages": [*TOOL_TURN, tool_result(False)]},
        "with is_error True",
    ),
    (
        "turn",
        "turn",
        {"messages": [*TOOL_TURN[:1], {"role": "assistant", "content": "a"}, user("b")]},
        {},
        "match.turn: expected >= 1, got 0",
    ),
    ("stream", "stream", {"stream": True}, {}, "match.stream: expected True, got False"),
    (
        "thinking",
        "thinking",
        {"thinking": {"type": "enabled", "budget_tokens": 1024}, "max_tokens": 2048},
        {},
        "match.thinking",
    ),
    (
        "images",
        "images",
        {"messages": [user([png_block(), {"type": "text", "text": "x"}])]},
        {"messages": [user([png_block(other_png()), {"type": "text", "text": "x"}])]},
        f"images.sha256: expected some item with sha256 {PNG_SHA}",
    ),
    (
        "documents",
        "documents",
        {"messages": [user([doc_block(), {"type": "text", "text": "x"}])]},
        {},
        "documents: expected some present, got 0",
    ),
    (
        "metadata",
        "metadata",
        {"metadata": {"user_id": "user-42"}},
        {"metadata": {"user_id": "u"}},
        "got 'u'",
    ),
    (
        "beta",
        "beta",
        {"extra_headers": {"anthropic-beta": "files-api-2025-04-14"}},
        {},
        "match.beta",
    ),
    (
        "header",
        "header",
        {"extra_headers": {"x-tenant": "acme"}},
        {"extra_headers": {"x-tenant": "initech"}},
        "headers.x-tenant",
    ),
    (
        "fields",
        "fields",
        {"messages": [user("a"), {"role": "assistant", "content": "b"}, user("c")]},
        {
            "messages": [user("a"), {"role": "assistant", "content": "b"}, user("c")],
            "stop_sequences": ["END"],
        },
        "fields['stop_sequences']: expected absent, got ['END']",
    ),
    (
        "any",
        "any",
        {"messages": [user("blue")]},
        {"messages": [user("green")]},
        "any of 2 alternatives",
    ),
    ("all", "all", {"messages": [user("a and b")]}, {"messages": [user("only a")]}, "all of 2"),
    ("not", "not", {}, {"messages": [user("forbidden fruit")]}, "match.not"),
]


def call(server: InProcess, case: str, kwargs: dict[str, Any]) -> Any:
    kwargs = dict(kwargs)
    headers = {"x-case": case, **kwargs.pop("extra_headers", {})}
    params: dict[str, Any] = {"model": MODEL, "max_tokens": 256, "messages": [user("hello")]}
    params.update(kwargs)
    stream = params.pop("stream", False)
    with server.client() as sdk:
        if stream:
            with sdk.messages.with_streaming_response.create(
                **params, stream=True, extra_headers=headers
            ) as raw:
                return raw.headers
        return sdk.messages.with_raw_response.create(**params, extra_headers=headers).headers


@pytest.mark.parametrize(("case", "rule", "hit", "miss", "why"), CASES, ids=[c[0] for c in CASES])
def test_matcher_selects_its_rule_and_explains_a_near_miss(
    strict: InProcess, case: str, rule: str, hit: dict[str, Any], miss: dict[str, Any], why: str
) -> None:
    assert call(strict, case, hit)["x-sandbox-rule"] == rule
    with pytest.raises(anthropic.BadRequestError) as caught:
        call(strict, case, miss)
    message = caught.value.message
    assert "No fixture rule matched this request (strict mode)" in message
    assert f"`{rule}`" in message and why in message, message
    assert caught.value.response.headers["x-should-retry"] == "false"


def test_regex_captures_are_available_to_the_reply_template(strict: InProcess) -> None:
    with strict.client() as sdk:
        message = sdk.messages.create(
            model=MODEL,
            max_tokens=64,
            system="You are Grace, a helper",
            messages=[user("hi")],
            extra_headers={"x-case": "system"},
        )
    assert message.content[0].text == "Grace"


def test_strict_miss_is_logged_with_the_same_explanation(strict: InProcess) -> None:
    with strict.client() as sdk, pytest.raises(anthropic.BadRequestError):
        sdk.messages.create(
            model=MODEL, max_tokens=64, messages=[user("zzz")], extra_headers={"x-case": "nope"}
        )
    assert "No fixture rule matched this request (strict mode)" in strict.log()
    assert "headers.x-case: expected == " in strict.log()


def test_tool_result_matcher_sees_results_before_a_trailing_system_message() -> None:
    # Claude Code appends a mid-conversation system message after its tool results.
    from messages_sandbox.request import RequestView

    view = RequestView(
        {
            "messages": [
                {"role": "user", "content": "Run it"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {}}],
                },
                {
                    "role": "user",
                    "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"}],
                },
                {"role": "system", "content": "1000 tokens left"},
            ]
        }
    )
    assert [r["name"] for r in view.tool_results] == ["Bash"]
