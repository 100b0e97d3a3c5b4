"""Request validation: exact error messages, real clients' bodies, echoed response blocks, nulls."""

from __future__ import annotations

import datetime
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import orjson
import pydantic
import pytest
from anthropic._utils._json import openapi_model_dump
from anthropic.types import ContentBlock
from anthropic.types.beta import BetaContentBlock
from conftest import capture_params

from messages_sandbox.schema import generated
from messages_sandbox.schema.validators import MalformedJson, RequestValidators, ValidationFailed

BASE: dict[str, Any] = {
    "model": "claude-haiku-4-5",
    "max_tokens": 16,
    "messages": [{"role": "user", "content": "Hi"}],
}
GA_BLOCK_TAGS = (
    "'text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use', "
    "'tool_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', "
    "'code_execution_tool_result', 'bash_code_execution_tool_result', "
    "'text_editor_code_execution_tool_result', 'tool_search_tool_result', 'container_upload'"
)


@pytest.fixture(scope="module")
def validators() -> RequestValidators:
    return RequestValidators()


def body(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys replaced (a value of ... removes the key)."""
    out = {**BASE, **changes}
    return {k: v for k, v in out.items() if v is not ...}


def user(*blocks: Any) -> dict[str, Any]:
    return body(messages=[{"role": "user", "content": list(blocks)}])


TOOL = {"name": "get_weather", "input_schema": {"type": "object"}}
IMAGE = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"}}

# (id, endpoint, beta, body, exception, exact message)
BAD: list[tuple[str, str, bool, Any, type[ValidationFailed], str]] = [
    ("no-max-tokens", "messages", False, body(max_tokens=...), ValidationFailed,
     "max_tokens: Field required"),
    ("no-model", "messages", False, body(model=...), ValidationFailed, "model: Field required"),
    ("no-messages", "messages", False, body(messages=...), ValidationFailed,
     "messages: Field required"),
    ("custom-tool-name", "messages", False,
     body(tools=[{**TOOL, "name": "get weather!"}]), ValidationFailed,
     "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"),
    ("custom-tool-name-typed", "messages", False,
     body(tools=[TOOL, {**TOOL, "type": "custom", "name": "x" * 129}]), ValidationFailed,
     "tools.1.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"),
    ("beta-custom-tool-name", "messages", True, body(tools=[{**TOOL, "name": ""}]),
     ValidationFailed, "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"),
    ("image-media-type", "messages", False,
     user({"type": "text", "text": "What is this?"},
          {**IMAGE, "source": {**IMAGE["source"], "media_type": "image/bmp"}}),
     ValidationFailed,
     "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', "
     "'image/png', 'image/gif' or 'image/webp'"),
    ("image-source-type", "messages", False,
     user({**IMAGE, "source": {"type": "path", "path": "/tmp/x.png"}}), ValidationFailed,
     "messages.0.content.0.image.source: Input tag 'path' found using 'type' does not match any "
     "of the expected tags: 'base64', 'url', 'file'"),
    ("budget-tokens", "messages", False,
     body(thinking={"type": "enabled", "budget_tokens": 1000}), ValidationFailed,
     "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"),
    ("beta-budget-tokens", "messages", True,
     body(thinking={"type": "enabled", "budget_tokens": 0}), ValidationFailed,
     "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"),
    ("extra-top-level", "messages", False, body(signal={}), ValidationFailed,
     "signal: Extra inputs are not permitted"),
    ("extra-metadata", "messages", False, body(metadata={"agent": "x"}), ValidationFailed,
     "metadata.agent: Extra inputs are not permitted"),
    ("extra-thinking", "messages", False,
     body(thinking={"type": "adaptive", "effort": "high"}), ValidationFailed,
     "thinking.adaptive.effort: Extra inputs are not permitted"),
    ("ga-context-management", "messages", False, body(context_management={"edits": []}),
     ValidationFailed, "context_management: Extra inputs are not permitted"),
    ("extra-key-looks-hidden", "messages", False, body(**{"~str": 1}), ValidationFailed,
     "~str: Extra inputs are not permitted"),
    ("unknown-block", "messages", False, user({"type": "video", "url": "x"}), ValidationFailed,
     "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the "
     f"expected tags: {GA_BLOCK_TAGS}"),
    ("block-without-type", "messages", False, user({"text": "hi"}), ValidationFailed,
     "messages.0.content.0.type: Field required"),
    ("block-type-not-string", "messages", False, user({"type": ["text"], "text": "hi"}),
     ValidationFailed, "messages.0.content.0.type: Input should be a valid string"),
    ("block-not-object", "messages", False, user("hi"), ValidationFailed,
     "messages.0.content.0: Input should be a valid dictionary"),
    ("block-extra", "messages", False, user({"type": "text", "text": "hi", "foo": 1}),
     ValidationFailed, "messages.0.content.0.text.foo: Extra inputs are not permitted"),
    ("cache-ttl", "messages", False,
     user({"type": "text", "text": "hi", "cache_control": {"type": "ephemeral", "ttl": "10m"}}),
     ValidationFailed, "messages.0.content.0.text.cache_control.ttl: Input should be '5m' or '1h'"),
    ("role-invalid", "messages", False, body(messages=[{"role": "bot", "content": "x"}]),
     ValidationFailed, "messages.0.role: Input should be 'user', 'assistant' or 'system'"),
    ("role-not-string", "messages", False, body(messages=[{"role": None, "content": "x"}]),
     ValidationFailed, "messages.0.role: Input should be 'user', 'assistant' or 'system'"),
    ("role-missing", "messages", False, body(messages=[{"content": "x"}]), ValidationFailed,
     "messages.0.role: Field required"),
    ("message-not-object", "messages", False, body(messages=["Hi"]), ValidationFailed,
     "messages.0: Input should be a valid dictionary"),
    ("messages-not-list", "messages", False, body(messages={"role": "user"}), ValidationFailed,
     "messages: Input should be a valid list"),
    ("content-missing", "messages", False, body(messages=[{"role": "user"}]), ValidationFailed,
     "messages.0.content: Field required"),
    ("content-number", "messages", False, body(messages=[{"role": "user", "content": 5}]),
     ValidationFailed, "messages.0.content: Input should be a valid string or a valid list"),
    ("message-extra", "messages", False,
     body(messages=[{"role": "user", "content": "x", "name": "bob"}]), ValidationFailed,
     "messages.0.name: Extra inputs are not permitted"),
    ("system-message-blocks", "messages", False,
     body(messages=[{"role": "system", "content": [IMAGE]}]), ValidationFailed,
     "messages.0.content.0.text: Field required"),
    ("tool-use-no-id", "messages", False,
     body(messages=[{"role": "user", "content": "x"},
                    {"role": "assistant",
                     "content": [{"type": "tool_use", "name": "t", "input": {}}]}]),
     ValidationFailed, "messages.1.content.0.tool_use.id: Field required"),
    ("tool-result-content", "messages", False,
     user({"type": "tool_result", "tool_use_id": "toolu_1",
           "content": [{"type": "thinking", "thinking": "x", "signature": "s"}]}),
     ValidationFailed,
     "messages.0.content.0.tool_result.content.0: Input tag 'thinking' found using 'type' does "
     "not match any of the expected tags: 'text', 'image', 'search_result', 'document', "
     "'tool_reference', 'browser_state'"),
    ("max-tokens-negative", "messages", False, body(max_tokens=-1), ValidationFailed,
     "max_tokens: Input should be greater than or equal to 0"),
    ("max-tokens-string", "messages", False, body(max_tokens="many"), ValidationFailed,
     "max_tokens: Input should be a valid integer, unable to parse string as an integer"),
    ("max-tokens-fraction", "messages", False, body(max_tokens=1.5), ValidationFailed,
     "max_tokens: Input should be a valid integer, got a number with a fractional part"),
    ("model-number", "messages", False, body(model=5), ValidationFailed,
     "model: Input should be a valid string"),
    ("temperature", "messages", False, body(temperature=1.5), ValidationFailed,
     "temperature: Input should be less than or equal to 1"),
    ("top-p", "messages", True, body(top_p=-0.1), ValidationFailed,
     "top_p: Input should be greater than or equal to 0"),
    ("top-k", "messages", False, body(top_k=-1), ValidationFailed,
     "top_k: Input should be greater than or equal to 0"),
    ("stream-not-bool", "messages", False, body(stream="maybe"), ValidationFailed,
     "stream: Input should be a valid boolean, unable to interpret input"),
    ("stop-sequences-string", "messages", False, body(stop_sequences="END"), ValidationFailed,
     "stop_sequences: Input should be a valid list"),
    ("service-tier", "messages", False, body(service_tier="priority"), ValidationFailed,
     "service_tier: Input should be 'auto' or 'standard_only'"),
    ("metadata-user-id", "messages", False, body(metadata={"user_id": 5}), ValidationFailed,
     "metadata.user_id: Input should be a valid string"),
    ("system-number", "messages", False, body(system=5), ValidationFailed,
     "system: Input should be a valid string or a valid list"),
    ("system-block-extra", "messages", False,
     body(system=[{"type": "text", "text": "x", "foo": 1}]), ValidationFailed,
     "system.0.foo: Extra inputs are not permitted"),
    ("tool-choice-type", "messages", False, body(tools=[TOOL], tool_choice={"type": "sometimes"}),
     ValidationFailed,
     "tool_choice: Input tag 'sometimes' found using 'type' does not match any of the expected "
     "tags: 'auto', 'any', 'tool', 'none'"),
    ("tool-choice-name", "messages", False, body(tools=[TOOL], tool_choice={"type": "tool"}),
     ValidationFailed, "tool_choice.tool.name: Field required"),
    ("input-schema-type", "messages", False,
     body(tools=[{"name": "t", "input_schema": {"properties": {}}}]), ValidationFailed,
     "tools.0.custom.input_schema.type: Field required"),
    ("versioned-tool-name", "messages", False,
     body(tools=[{"type": "bash_20250124", "name": "shell"}]), ValidationFailed,
     "tools.0.bash_20250124.name: Input should be 'bash'"),
    ("container-kind", "messages", False, body(container=5), ValidationFailed,
     "container: Input should be a valid dictionary or a valid string"),
    ("beta-mcp-server", "messages", True,
     body(mcp_servers=[{"type": "url", "name": "srv"}]), ValidationFailed,
     "mcp_servers.0.url: Field required"),
    ("beta-context-management", "messages", True,
     body(context_management={"edits": [{"type": "clear_everything"}]}), ValidationFailed,
     "context_management.edits.0: Input tag 'clear_everything' found using 'type' does not match "
     "any of the expected tags: 'clear_tool_uses_20250919', 'clear_thinking_20251015', "
     "'compact_20260112'"),
    ("beta-keep-literal", "messages", True,
     body(context_management={"edits": [{"type": "clear_thinking_20251015", "keep": "none"}]}),
     ValidationFailed,
     "context_management.edits.0.clear_thinking_20251015.keep: Input should be 'all'"),
    ("count-tokens-max-tokens", "count_tokens", False, body(), ValidationFailed,
     "max_tokens: Extra inputs are not permitted"),
    ("count-tokens-no-messages", "count_tokens", True, {"model": "m"}, ValidationFailed,
     "messages: Field required"),
    ("top-level-array", "messages", False, [], ValidationFailed,
     "The request body is not a JSON object"),
    ("top-level-null", "count_tokens", False, None, ValidationFailed,
     "The request body is not a JSON object"),
    ("malformed", "messages", False, b'{"model": "m",}', MalformedJson,
     "The request body is not valid JSON: trailing comma is not allowed: line 1 column 14 "
     "(char 13)"),
    ("empty", "messages", False, b"", MalformedJson,
     "The request body is not valid JSON: Input is a zero-length, empty document: line 1 "
     "column 1 (char 0)"),
    ("nan", "messages", False, b'{"model": "m", "max_tokens": 1, "temperature": NaN}',
     MalformedJson,
     "The request body is not valid JSON: unexpected character, expected a JSON value: line 1 "
     "column 48 (char 47)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "beta", "payload", "exc_type", "message"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD],
)
def test_bad_body_is_refused_with_the_api_wording(
    validators: RequestValidators,
    endpoint: str,
    beta: bool,
    payload: Any,
    exc_type: type[ValidationFailed],
    message: str,
) -> None:
    raw = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    with pytest.raises(ValidationFailed) as caught:
        getattr(validators, endpoint)(raw, beta=beta)
    assert type(caught.value) is exc_type
    assert caught.value.message == message
    assert str(caught.value) == message


def test_batch_params_are_worded_like_bodies(validators: RequestValidators) -> None:
    with pytest.raises(ValidationFailed, match=r"^messages: Input should be a valid list$"):
        validators.messages_params(body(messages={}), beta=False)
    with pytest.raises(ValidationFailed, match=r"^messages\.0\.role: Field required$"):
        validators.messages_params(body(messages=[{"content": "x"}]), beta=True)
    assert validators.messages_params(body(), beta=False) == body()


def test_result_is_plain_normalised_dicts(validators: RequestValidators) -> None:
    payload = user({"type": "text", "text": "hi"}, IMAGE)
    result = validators.messages(orjson.dumps({**payload, "max_tokens": "16"}), beta=False)
    assert result == payload  # "16" -> 16, nothing added, nothing dropped
    assert type(result) is dict
    assert type(result["messages"][0]["content"][1]["source"]) is dict


def test_max_tokens_zero_prewarms_the_cache(validators: RequestValidators) -> None:
    assert validators.messages(orjson.dumps(body(max_tokens=0)), beta=False)["max_tokens"] == 0


def test_tool_union_dispatch(validators: RequestValidators) -> None:
    tools = [
        {"name": "no_type", "input_schema": {"type": "object"}},
        {"name": "null_type", "type": None, "input_schema": {"type": "object"}},
        {
            "name": "schema_keywords",
            "type": "custom",
            "input_schema": {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "additionalProperties": False,
                "properties": {"q": {"type": "string"}},
                "required": ["q"],
            },
        },
        {"type": "tool_search_tool_bm25", "name": "tool_search_tool_bm25"},
        {"type": "tool_search_tool_bm25_20251119", "name": "tool_search_tool_bm25"},
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 3},
    ]
    for beta in (False, True):
        assert validators.messages(orjson.dumps(body(tools=tools)), beta=beta)["tools"] == tools


def test_legacy_sampling_params_are_accepted(validators: RequestValidators) -> None:
    sampling = {"temperature": 0, "top_p": 1.0, "top_k": 40}
    for beta in (False, True):
        assert validators.messages(orjson.dumps(body(**sampling)), beta=beta)["top_k"] == 40


def test_null_is_accepted_for_optional_fields(validators: RequestValidators) -> None:
    block = {"type": "text", "text": "hi", "cache_control": None, "citations": None}
    tool = {**TOOL, "cache_control": None, "eager_input_streaming": None, "type": None}
    ga = body(
        messages=[{"role": "user", "content": [block]}],
        system=[block],
        tools=[tool],
        cache_control=None,
        container=None,
        diagnostics=None,
        inference_geo=None,
        speed=None,
        metadata={"user_id": None},
        output_config={"effort": None, "format": None},
        thinking={"type": "adaptive", "display": None},
    )
    validators.messages(orjson.dumps(ga), beta=False)
    beta = {**ga, "context_management": None, "compaction": None, "fallbacks": None}
    validators.messages(orjson.dumps(beta), beta=True)
    # Every top-level Optional field of every root, at once.
    for root, endpoint, is_beta in (
        (generated.MessageCreateParams, "messages", False),
        (generated.BetaMessageCreateParams, "messages", True),
        (generated.MessageCountTokensParams, "count_tokens", False),
        (generated.BetaMessageCountTokensParams, "count_tokens", True),
    ):
        hints = typing.get_type_hints(root)
        nulls = {k: None for k, t in hints.items() if type(None) in get_args(t)}
        assert nulls, root
        payload = {k: v for k, v in body(**nulls).items() if k in hints}
        getattr(validators, endpoint)(orjson.dumps(payload), beta=is_beta)


# -- real clients' requests ----------------------------------------------------------------------


@pytest.mark.parametrize("path", capture_params())
def test_captured_request_is_accepted(validators: RequestValidators, path: Path) -> None:
    capture = json.loads(path.read_text())
    headers = {k.lower(): v for k, v in capture["headers"].items()}
    beta = "anthropic-beta" in headers
    payload = capture["body"]
    if "count_tokens" in capture["path"]:
        assert validators.count_tokens(orjson.dumps(payload), beta=beta) == payload
        return
    for stream in (None, True, False):  # as sent, and with `stream` flipped either way
        variant = dict(payload) if stream is None else {**payload, "stream": stream}
        assert validators.messages(orjson.dumps(variant), beta=beta) == variant
        assert validators.messages_params(variant, beta=beta) == variant


# -- response blocks echoed back as assistant content --------------------------------------------


def _union_width(tp: Any, seen: set[Any]) -> int:
    """Widest union reachable from tp: how many examples it takes to use every member."""
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        if tp in seen:
            return 1
        seen.add(tp)
        return max([1] + [_union_width(f.annotation, seen) for f in tp.model_fields.values()])
    args = get_args(tp)
    here = len(args) if get_origin(tp) in (Union, types.UnionType, Literal) else 1
    return max([here] + [_union_width(a, seen) for a in args])


def _example(tp: Any, i: int, width: int) -> Any:
    """Example i of a response type: union member / literal i (mod count), Optional None for the
    second half of the examples, so `width * 2` examples use every member and every null."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is typing.Annotated:
        return _example(args[0], i, width)
    if origin in (Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if len(members) < len(args) and i >= width:
            return None
        return _example(members[i % len(members)], i, width)
    if origin is Literal:
        return args[i % len(args)]
    if origin in (list, typing.List):  # noqa: UP006
        return [_example(args[0], i, width)]
    if origin in (dict, typing.Dict):  # noqa: UP006
        return {"key": _example(args[1], i, width)}
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return {
            f.alias or name: _example(f.annotation, i, width) for name, f in tp.model_fields.items()
        }
    simple = {str: "x", int: 1, float: 0.5, bool: True, object: {"any": "thing"}}
    if tp in simple:
        return simple[tp]
    if tp is datetime.datetime:
        return "2026-01-01T00:00:00Z"
    raise TypeError(f"no example for {tp!r}")


def _response_blocks(union: Any) -> list[pydantic.BaseModel]:
    models = get_args(get_args(union)[0])  # Annotated[Union[...], discriminator]
    blocks = []
    for model in models:
        width = _union_width(model, set())
        blocks += [model.model_validate(_example(model, i, width)) for i in range(2 * width)]
    return blocks


@pytest.mark.parametrize(("union", "beta"), [(ContentBlock, False), (BetaContentBlock, True)])
def test_response_blocks_echoed_back_are_accepted(
    validators: RequestValidators, union: Any, beta: bool
) -> None:
    blocks = _response_blocks(union)
    assert len({type(b) for b in blocks}) == len(get_args(get_args(union)[0]))
    for block in blocks:
        # Both what users write by hand (every field, nulls included) and what the SDK sends
        # when given `response.content` (set fields only).
        for dumped in (block.model_dump(mode="json", by_alias=True), openapi_model_dump(block)):
            payload = body(
                messages=[
                    {"role": "user", "content": "Hi"},
                    {"role": "assistant", "content": [dumped]},
                ]
            )
            try:
                validators.messages(orjson.dumps(payload), beta=beta)
            except ValidationFailed as exc:
                pytest.fail(f"{type(block).__name__} {dumped}: {exc}")
