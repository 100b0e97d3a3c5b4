"""The error catalogue: bad requests, each answered with the real API's status, type and text.

Every row goes through the official SDK against the session server, which must raise the
exception class the real API's answer would make it raise. Real wordings come from
../shared/reference/messages-api.md section 7.5; rows marked "deliberate" pin a wording we
chose where the real one is not public.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anthropic
import pytest
from anthropic import Omit
from PIL import Image

from messages_sandbox.signatures import Signer

SIGNED_ELSEWHERE = Signer("messages-sandbox").sign("Something else entirely.")

# The SDK sends anthropic-version 2026-10-21 unless a row says otherwise.
HAIKU = "claude-haiku-4-5"  # prefill, enabled thinking, sampling params; 200k context
OPUS_47 = "claude-opus-4-7"  # adaptive only, no sampling params, no system messages
SONNET_46 = "claude-sonnet-4-6"  # no prefill, no inference_geo
FABLE = "claude-fable-5"  # no disabled thinking, no forced tool_choice
OPUS_48 = "claude-opus-4-8"  # forced tool_choice also with thinking; every effort level
OPUS_45 = "claude-opus-4-5"  # effort low/medium/high only
LEGACY = {"anthropic-version": "2023-06-01"}  # the sampling parameters still exist
THINKING_DOCS = (
    "Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/"
    "extended-thinking#important-considerations-when-using-extended-thinking"
)

THINKING_FIRST = (
    "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{}`. "
    "When `thinking` is enabled, a final `assistant` message must start with a thinking block "
    "(preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you "
    "include thinking blocks from previous turns. To avoid this requirement, disable "
    "`thinking`. Please consult our documentation at "
    "https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
)
UNANSWERED = (
    "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: {}. "
    "Each `tool_use` block must have a corresponding `tool_result` block in the next message."
)
UNEXPECTED = (
    "{}: unexpected `tool_use_id` found in `tool_result` blocks: {}. Each `tool_result` block "
    "must have a corresponding `tool_use` block in the previous message."
)


def _png(width: int = 2, height: int = 2, fmt: str = "PNG") -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, format=fmt)
    return base64.b64encode(buf.getvalue()).decode()


def _pdf(pages: int = 1, extra: bytes = b"") -> str:
    body = b"%PDF-1.4\n" + b"1 0 obj << /Type /Page >> endobj\n" * pages + extra + b"%%EOF\n"
    return base64.b64encode(body).decode()


def image(data: str, media_type: str = "image/png") -> dict[str, Any]:
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def pdf(data: str) -> dict[str, Any]:
    return {
        "type": "document",
        "source": {"type": "base64", "media_type": "application/pdf", "data": data},
    }


def user(*content: Any) -> dict[str, Any]:
    return {
        "role": "user",
        "content": list(content)
        if len(content) != 1 or not isinstance(content[0], str)
        else content[0],
    }


def assistant(*content: Any) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": list(content)
        if len(content) != 1 or not isinstance(content[0], str)
        else content[0],
    }


def text(t: str, **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": t, **extra}


def tool_use(tool_id: str, name: str = "get_weather") -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": {"city": "Paris"}}


def tool_result(tool_id: str, content: Any = "18C", **extra: Any) -> dict[str, Any]:
    return {"type": "tool_result", "tool_use_id": tool_id, "content": content, **extra}


CC = {"cache_control": {"type": "ephemeral"}}
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}
TOOL_TURN = [user("Weather?"), assistant(tool_use("toolu_1")), user(tool_result("toolu_1"))]


@dataclass
class Case:
    id: str
    body: dict[str, Any]
    status: int
    type: str
    message: str | Callable[[str], bool]
    exc: type[anthropic.APIStatusError] = anthropic.BadRequestError
    headers: dict[str, Any] = field(default_factory=dict)


def case(
    id: str,
    message: str | Callable[[str], bool],
    *,
    status: int = 400,
    type: str = "invalid_request_error",
    exc: type[anthropic.APIStatusError] = anthropic.BadRequestError,
    headers: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
    **body: Any,
) -> Case:
    full = {"model": HAIKU, "max_tokens": 256, "messages": [user("Hi")], **body}
    for key in drop:
        full.pop(key)
    return Case(id, full, status, type, message, exc, headers or {})


def _names_allowed_block_types(message: str) -> bool:
    return "video" in message and "'text'" in message and "'image'" in message


CASES = [
    # -- headers ----------------------------------------------------------------------------
    case(
        "no_credentials",
        "x-api-key header is required",
        status=401,
        type="authentication_error",
        exc=anthropic.AuthenticationError,
        headers={"Authorization": Omit(), "x-api-key": Omit()},
    ),
    case(
        "no_version",
        "anthropic-version: header is required",
        headers={"anthropic-version": Omit()},
    ),
    case(  # deliberate wording
        "unknown_version",
        "anthropic-version: invalid version '2099-01-01'. "
        "Supported versions: 2023-01-01, 2023-06-01, 2026-10-21",
        headers={"anthropic-version": "2099-01-01"},
    ),
    # -- model and limits -------------------------------------------------------------------
    case(
        "unknown_model",
        "model: claude-3-5-sonnet-20241022",
        status=404,
        type="not_found_error",
        exc=anthropic.NotFoundError,
        model="claude-3-5-sonnet-20241022",
    ),
    case(
        "retired_model",
        "model: claude-mythos-preview",
        status=404,
        type="not_found_error",
        exc=anthropic.NotFoundError,
        model="claude-mythos-preview",
    ),
    case(
        "max_tokens_above_model_limit",
        "max_tokens: 999999 > 64000, which is the maximum allowed number of output tokens "
        "for claude-haiku-4-5-20251001",
        max_tokens=999999,
    ),
    case(
        "max_tokens_above_limit_of_opus",
        "max_tokens: 128001 > 128000, which is the maximum allowed number of output tokens "
        "for claude-opus-4-7",
        model=OPUS_47,
        max_tokens=128001,
    ),
    # -- schema (generated validators) ------------------------------------------------------
    case("missing_max_tokens", "max_tokens: Field required", drop=("max_tokens",)),
    case("unknown_top_level_field", "signal: Extra inputs are not permitted", signal="x"),
    case(
        "image_media_type_not_allowed",
        "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', "
        "'image/png', 'image/gif' or 'image/webp'",
        messages=[user(image(_png(), "image/bmp"))],
    ),
    case(
        "tool_name_pattern",
        "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
        tools=[{**WEATHER, "name": "get weather"}],
    ),
    case(
        "temperature_out_of_range",
        "temperature: Input should be less than or equal to 1",
        temperature=1.5,
    ),
    case(
        "video_block_names_allowed_types",
        _names_allowed_block_types,
        messages=[user({"type": "video", "source": {"type": "url", "url": "https://x/v.mp4"}})],
    ),
    # -- sampling, geo, tools ---------------------------------------------------------------
    case(
        "temperature_on_model_without_sampling",
        "`temperature` is deprecated for this model.",
        headers={"anthropic-version": "2023-06-01"},
        model=OPUS_47,
        temperature=0.5,
    ),
    case(
        "top_k_under_2026_version",
        "`top_k` is deprecated for this model.",
        headers={"anthropic-version": "2026-10-21"},
        top_k=5,
    ),
    case(  # deliberate wording
        "inference_geo_on_older_model",
        "inference_geo: `inference_geo` is not supported for this model.",
        model=SONNET_46,
        inference_geo="us",
    ),
    case(
        "tool_choice_without_tools",
        "tool_choice may only be specified while providing tools.",
        tool_choice={"type": "auto"},
    ),
    case(
        "structured_output_schema_invalid",
        "output_config.format.schema.type: Invalid JSON Schema: "
        "'strnig' is not valid under any of the given schemas",
        output_config={"format": {"type": "json_schema", "schema": {"type": "strnig"}}},
    ),
    # -- per-model request rules (data in app/catalogue/models.yaml) -------------------------
    case(
        "temperature_and_top_p_together",
        "`temperature` and `top_p` cannot both be specified for this model. Please use only one.",
        headers=LEGACY,
        temperature=0.5,
        top_p=0.9,
    ),
    case(
        "temperature_below_one_with_thinking",
        f"`temperature` may only be set to 1 when thinking is enabled. {THINKING_DOCS}",
        headers=LEGACY,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        temperature=0.7,
    ),
    case(
        "top_k_with_thinking",
        f"`top_k` must be unset when thinking is enabled. {THINKING_DOCS}",
        headers=LEGACY,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        top_k=40,
    ),
    case(  # deliberate wording
        "low_top_p_with_thinking",
        f"`top_p` must be between 0.95 and 1 when thinking is enabled. {THINKING_DOCS}",
        headers=LEGACY,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        top_p=0.5,
    ),
    case(
        "forced_tool_choice_on_model_that_never_takes_it",
        'tool_choice: type "tool" and "any" are not supported for this model.',
        model=FABLE,
        tools=[WEATHER],
        tool_choice={"type": "tool", "name": "get_weather"},
    ),
    case(
        "every_tool_deferred",
        "At least one tool must have defer_loading=false. All tools cannot be deferred.",
        tools=[{**WEATHER, "defer_loading": True}],
    ),
    case(
        "tool_reference_to_a_tool_not_sent",
        "Tool reference 'get_time' not found in available tools",
        tools=[WEATHER, {**WEATHER, "name": "tool_search", "defer_loading": False}],
        messages=[
            user("Load the clock"),
            assistant(tool_use("toolu_1", "tool_search")),
            user(tool_result("toolu_1", [{"type": "tool_reference", "tool_name": "get_time"}])),
        ],
    ),
    case(
        "effort_on_model_without_effort",
        "This model does not support the effort parameter.",
        output_config={"effort": "low"},
    ),
    case(
        "effort_level_the_model_lacks",
        "This model does not support effort level 'max'. Supported levels: high, low, medium.",
        model=OPUS_45,
        output_config={"effort": "max"},
    ),
    # -- thinking ---------------------------------------------------------------------------
    case(
        "thinking_with_forced_tool_choice",
        "Thinking may not be enabled when tool_choice forces tool use.",
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        tools=[WEATHER],
        tool_choice={"type": "any"},
    ),
    case(
        "thinking_budget_not_below_max_tokens",
        "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
        "documentation at https://docs.claude.com/en/docs/build-with-claude/"
        "extended-thinking#max-tokens-and-context-window-size",
        max_tokens=2048,
        thinking={"type": "enabled", "budget_tokens": 2048},
    ),
    case(
        "thinking_budget_below_1024",
        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 512},
    ),
    case(
        "thinking_enabled_on_adaptive_only_model",
        '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" '
        'and "output_config.effort" to control thinking behavior.',
        model=OPUS_47,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
    ),
    case(
        "adaptive_thinking_on_older_model",
        "adaptive thinking is not supported on this model",
        thinking={"type": "adaptive"},
    ),
    case(  # deliberate wording
        "disabled_thinking_on_fable",
        '"thinking.type.disabled" is not supported for this model.',
        model=FABLE,
        thinking={"type": "disabled"},
    ),
    case(
        "thinking_turn_must_start_with_thinking",
        THINKING_FIRST.format("tool_use"),
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        tools=[WEATHER],
        messages=TOOL_TURN,
    ),
    case(
        "thinking_turn_string_content_found_text",
        THINKING_FIRST.format("text"),
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=[
            user("Weather?"),
            assistant(text("Let me check."), tool_use("toolu_1")),
            user(tool_result("toolu_1")),
        ],
    ),
    case(
        "tampered_thinking_signature",
        "messages.1.content.0: Invalid `signature` in `thinking` block",
        messages=[
            user("Hi"),
            # Signed by the sandbox (default key) for another text: an edited block.
            assistant({"type": "thinking", "thinking": "Hmm.", "signature": SIGNED_ELSEWHERE}),
            user("Go on"),
        ],
    ),
    # -- prefill and roles ------------------------------------------------------------------
    case(
        "prefill_on_model_without_prefill",
        "This model does not support assistant message prefill. "
        "The conversation must end with a user message.",
        model=SONNET_46,
        messages=[user("Hi"), assistant("Hello")],
    ),
    case(
        "prefill_trailing_whitespace",
        "final assistant content cannot end with trailing whitespace",
        messages=[user("Hi"), assistant(text("Hello "))],
    ),
    case(  # deliberate wording
        "system_role_on_model_without_system_messages",
        "messages.1: role 'system' is not supported on this model",
        model=OPUS_47,
        messages=[user("Hi"), {"role": "system", "content": "Be brief."}, user("Again")],
    ),
    # -- empty content ----------------------------------------------------------------------
    case(
        "empty_string_content",
        "messages.0: all messages must have non-empty content except for the optional final "
        "assistant message",
        messages=[user("")],
    ),
    case(
        "empty_list_content_mid_conversation",
        "messages.1: all messages must have non-empty content except for the optional final "
        "assistant message",
        messages=[user("Hi"), {"role": "assistant", "content": []}, user("Hi")],
    ),
    case(
        "empty_text_block",
        "messages.0.content.1.text: text content blocks must be non-empty",
        messages=[user(text("Hi"), text(""))],
    ),
    case(
        "whitespace_text_block",
        "messages: text content blocks must contain non-whitespace text",
        messages=[user(text(" \n "))],
    ),
    case(
        "whitespace_system",
        "system: text content blocks must contain non-whitespace text",
        system="   ",
    ),
    case(  # deliberate wording
        "no_messages",
        "messages: at least one message is required",
        messages=[],
    ),
    # -- tool pairing -----------------------------------------------------------------------
    case(
        "tool_use_without_result",
        UNANSWERED.format("toolu_1"),
        tools=[WEATHER],
        messages=[user("Weather?"), assistant(tool_use("toolu_1")), user("Well?")],
    ),
    case(
        "two_tool_uses_one_result",
        UNANSWERED.format("toolu_2, toolu_3"),
        tools=[WEATHER],
        messages=[
            user("Weather?"),
            assistant(tool_use("toolu_1"), tool_use("toolu_2"), tool_use("toolu_3")),
            user(tool_result("toolu_1")),
        ],
    ),
    case(
        "tool_result_without_tool_use",
        UNEXPECTED.format("messages.0.content.0", "toolu_9"),
        messages=[user(tool_result("toolu_9"))],
    ),
    case(
        "tool_result_for_another_id",
        UNEXPECTED.format("messages.2.content.1", "toolu_9"),
        tools=[WEATHER],
        messages=[
            user("Weather?"),
            assistant(tool_use("toolu_1")),
            user(tool_result("toolu_1"), tool_result("toolu_9")),
        ],
    ),
    case(
        "duplicate_tool_use_ids",
        "messages.3.content.0: `tool_use` ids must be unique",
        tools=[WEATHER],
        messages=[*TOOL_TURN, assistant(tool_use("toolu_1")), user(tool_result("toolu_1"))],
    ),
    # -- cache breakpoints ------------------------------------------------------------------
    case(
        "five_cache_breakpoints_in_messages",
        "A maximum of 4 blocks with cache_control may be provided. Found 5.",
        messages=[user(*(text(f"part {n}", **CC) for n in range(5)))],
    ),
    case(
        "breakpoints_counted_in_system_tools_and_tool_results",
        "A maximum of 4 blocks with cache_control may be provided. Found 6.",
        system=[text("You are terse.", **CC)],
        tools=[{**WEATHER, **CC}],
        messages=[
            user(text("Weather?", **CC)),
            assistant(tool_use("toolu_1")),
            user(tool_result("toolu_1", [text("18C", **CC)], **CC), text("Thanks", **CC)),
        ],
    ),
    case(
        "automatic_caching_takes_a_slot",
        "A maximum of 4 blocks with cache_control may be provided. Found 5.",
        cache_control={"type": "ephemeral"},
        messages=[user(*(text(f"part {n}", **CC) for n in range(4)), text("last"))],
    ),
    # -- images -----------------------------------------------------------------------------
    case(  # deliberate wording
        "image_not_base64",
        "messages.0.content.0.image.source.base64.data: The image data is not valid base64.",
        messages=[user(image("not base64!"))],
    ),
    case(
        "image_bytes_not_an_image",
        "messages.0.content.0.image.source.base64.data: Could not process image",
        messages=[user(image(base64.b64encode(b"hello world").decode()))],
    ),
    case(
        "image_media_type_mismatch",
        "messages.0.content.1.image.source.base64.data: Image does not match the provided "
        "media type image/jpeg",
        messages=[user(text("Look"), image(_png(), "image/jpeg"))],
    ),
    case(
        "image_in_tool_result_media_type_mismatch",
        "messages.2.content.0.tool_result.content.0.image.source.base64.data: Image does not "
        "match the provided media type image/webp",
        tools=[WEATHER],
        messages=[*TOOL_TURN[:2], user(tool_result("toolu_1", [image(_png(), "image/webp")]))],
    ),
    case(
        "image_over_5_mb",
        "messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: "
        "5242884 bytes > 5242880 bytes",
        messages=[user(image("A" * 5242884))],
    ),
    case(  # deliberate wording
        "image_over_8000_pixels",
        "messages.0.content.0.image.source.base64.data: At least one of the image dimensions "
        "exceed max allowed size: 8000 pixels",
        messages=[user(image(_png(8001, 1)))],
    ),
    case(
        "many_images_over_2000_pixels",
        "messages.0.content.20.image.source.base64.data: At least one of the image dimensions "
        "exceed max allowed size for many-image requests: 2000 pixels",
        messages=[user(*[image(_png())] * 20, image(_png(2001, 1)))],
    ),
    # -- documents --------------------------------------------------------------------------
    case(
        "pdf_bytes_not_a_pdf",
        "messages.0.content.0.document.source.base64.data: The PDF specified was not valid.",
        messages=[user(pdf(base64.b64encode(b"GIF89a not a pdf").decode()))],
    ),
    case(
        "pdf_password_protected",
        "messages.0.content.0.document.source.base64.data: The PDF specified is password "
        "protected.",
        messages=[user(pdf(_pdf(1, b"trailer << /Encrypt 5 0 R >>\n")))],
    ),
    case(
        "pdf_pages_over_limit",
        "A maximum of 100 PDF pages may be provided.",
        messages=[user(pdf(_pdf(60)), pdf(_pdf(41)))],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_request_gets_the_real_error(client: anthropic.Anthropic, case: Case) -> None:
    with pytest.raises(anthropic.APIStatusError) as info:
        client.post(
            "/v1/messages",
            body=case.body,
            cast_to=anthropic.types.Message,
            options={"headers": case.headers},
        )
    err = info.value
    assert type(err) is case.exc, err
    assert err.status_code == case.status
    body = err.response.json()
    assert set(body) == {"type", "error", "request_id"}
    assert body["type"] == "error"
    assert body["error"]["type"] == case.type
    if callable(case.message):
        assert case.message(body["error"]["message"]), body["error"]["message"]
    else:
        assert body["error"]["message"] == case.message
    assert body["request_id"] == err.request_id
    assert err.request_id and err.request_id.startswith("req_")
    assert err.response.headers["x-should-retry"] == "false"


def test_catalogue_covers_at_least_forty_bad_requests() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


# Near misses of the rows above, which the real API accepts: the rules must not over-reach.
ACCEPTED = [
    case(
        "legacy_temperature_on_model_that_takes_it",
        "",
        headers={"anthropic-version": "2023-06-01"},
        temperature=0.2,
        top_k=5,
    ),
    case("empty_system_string", "", system=""),
    case(
        "temperature_one_with_thinking",
        "",
        headers=LEGACY,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        temperature=1,
    ),
    case(
        "high_top_p_with_thinking",
        "",
        headers=LEGACY,
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        top_p=0.97,
    ),
    case(
        "forced_tool_choice_with_thinking_on_model_that_takes_both",
        "",
        model=OPUS_48,
        thinking={"type": "adaptive"},
        tools=[WEATHER],
        tool_choice={"type": "any"},
    ),
    case("every_effort_level_on_newer_model", "", model=OPUS_48, output_config={"effort": "xhigh"}),
    case("prefill_on_model_with_prefill", "", messages=[user("Hi"), assistant("Hello")]),
    # A pause_turn reply sent back as-is resumes the server-tool turn, even without prefill.
    case(
        "paused_server_tool_turn_resumed_on_model_without_prefill",
        "",
        model=SONNET_46,
        tools=[{"type": "web_search_20250305", "name": "web_search"}],
        messages=[
            user("Search the news"),
            assistant(
                {
                    "type": "server_tool_use",
                    "id": "srvtoolu_1",
                    "name": "web_search",
                    "input": {"query": "news"},
                },
                {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []},
            ),
        ],
    ),
    case("empty_final_assistant_message", "", messages=[user("Hi"), assistant("")]),
    case("tool_result_answers_tool_use", "", tools=[WEATHER], messages=TOOL_TURN),
    case(
        "tool_use_answered_in_a_later_block_order",
        "",
        tools=[WEATHER],
        messages=[
            user("Weather?"),
            assistant(text("Checking."), tool_use("toolu_1"), tool_use("toolu_2")),
            user(tool_result("toolu_2"), tool_result("toolu_1"), text("Thanks")),
        ],
    ),
    case(
        "consecutive_user_messages_form_one_turn",
        "",
        tools=[WEATHER],
        messages=[*TOOL_TURN[:2], user("Here you go"), user(tool_result("toolu_1"))],
    ),
    case(
        "consecutive_assistant_messages_form_one_turn",
        "",
        tools=[WEATHER],
        messages=[
            user("Weather?"),
            assistant(tool_use("toolu_1")),
            assistant(tool_use("toolu_2")),
            user(tool_result("toolu_1"), tool_result("toolu_2")),
        ],
    ),
    case(
        "four_cache_breakpoints",
        "",
        system=[text("You are terse.", **CC)],
        tools=[{**WEATHER, **CC}],
        messages=[user(text("a", **CC), text("b", **CC))],
    ),
    case(
        "automatic_caching_on_a_marked_last_block",
        "",
        cache_control={"type": "ephemeral"},
        messages=[user(*(text(f"part {n}", **CC) for n in range(4)))],
    ),
    case(
        "every_image_format",
        "",
        messages=[
            user(
                image(_png()),
                image(_png(fmt="JPEG"), "image/jpeg"),
                image(_png(fmt="GIF"), "image/gif"),
                image(_png(fmt="WEBP"), "image/webp"),
                text("Describe them"),
            )
        ],
    ),
    case("twenty_large_images", "", messages=[user(*[image(_png(2001, 1))] * 20)]),
    case("pdf_document", "", messages=[user(pdf(_pdf(3)), text("Summarise"))]),
    case(
        "thinking_turn_starting_with_redacted_thinking",
        "",
        max_tokens=4096,
        thinking={"type": "enabled", "budget_tokens": 1024},
        tools=[WEATHER],
        messages=[
            user("Weather?"),
            assistant({"type": "redacted_thinking", "data": "opaque"}, tool_use("toolu_1")),
            user(tool_result("toolu_1")),
        ],
    ),
    case(
        "system_role_on_model_with_system_messages",
        "",
        model="claude-opus-4-8",
        messages=[user("Hi"), {"role": "system", "content": "Be brief."}, user("Again")],
    ),
    case(
        "adaptive_thinking_with_auto_tool_choice",
        "",
        model=OPUS_47,
        thinking={"type": "adaptive"},
        tools=[WEATHER],
        tool_choice={"type": "auto"},
    ),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.id)
def test_near_miss_is_accepted(client: anthropic.Anthropic, case: Case) -> None:
    message = client.post(
        "/v1/messages",
        body=case.body,
        cast_to=anthropic.types.Message,
        options={"headers": case.headers},
    )
    assert message.type == "message"


def test_thinking_blocks_echoed_back_verbatim_pass_signature_check(
    client: anthropic.Anthropic,
) -> None:
    thinking = {"type": "enabled", "budget_tokens": 1024}
    messages: list[dict[str, Any]] = [user("What is the weather in Paris? Use get_weather.")]
    first = client.messages.create(
        model=HAIKU, max_tokens=4096, thinking=thinking, tools=[WEATHER], messages=messages
    )
    assert first.content[0].type == "thinking"
    calls = [b for b in first.content if b.type == "tool_use"]
    assert calls
    messages.append({"role": "assistant", "content": first.content})
    messages.append(user(*(tool_result(b.id) for b in calls)))
    second = client.messages.create(
        model=HAIKU, max_tokens=4096, thinking=thinking, tools=[WEATHER], messages=messages
    )
    assert second.type == "message"

    edited = first.content[0].model_copy(update={"thinking": "I changed my mind."})
    messages[1] = {"role": "assistant", "content": [edited, *first.content[1:]]}
    with pytest.raises(anthropic.BadRequestError) as info:
        client.messages.create(
            model=HAIKU, max_tokens=4096, thinking=thinking, tools=[WEATHER], messages=messages
        )
    assert info.value.response.json()["error"]["message"] == (
        "messages.1.content.0: Invalid `signature` in `thinking` block"
    )
