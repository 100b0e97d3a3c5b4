"""Rules over the conversation: one pass over ``system`` and ``messages`` and their blocks.

The pass checks what needs only the block at hand (empty text, unique ``tool_use`` ids,
``tool_use``/``tool_result`` pairing with the neighbouring message, thinking signatures) and
collects in a ``request.Found`` what needs the whole request (cache breakpoints, images,
PDFs), which the caller and ``finish`` then check, and what later stages need (the files the
request points at), so nothing walks the conversation again. Every message is the real API's wording
(../shared/reference/messages-api.md sections 3.2, 3.3, 3.6 and 7.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..catalogue import Model
from ..errors import InvalidRequestError
from ..request.found import NO_FILES, Found, file_ids_in
from ..signatures import Signer
from . import media

THINKING_BLOCKS = ("thinking", "redacted_thinking")
NON_EMPTY = (
    "all messages must have non-empty content except for the optional final assistant message"
)
NO_PREFILL = (
    "This model does not support assistant message prefill. "
    "The conversation must end with a user message."
)
WHITESPACE_TEXT = "text content blocks must contain non-whitespace text"
EMPTY_TEXT = "text content blocks must be non-empty"


def check_system(system: str | Sequence[Mapping[str, Any]] | None, found: Found) -> None:
    if system is None:
        return
    if isinstance(system, str):
        # Deliberate choice: an empty system string is how many clients say "no system
        # prompt" and the API takes it; only whitespace-only text is refused.
        if system and system.isspace():
            raise InvalidRequestError(f"system: {WHITESPACE_TEXT}")
        return
    for block in system:
        if block.get("cache_control") is not None:
            found.breakpoints += 1
        text = block.get("text")
        if text is not None and (not text or text.isspace()):
            raise InvalidRequestError(f"system: {WHITESPACE_TEXT}")


def check_messages(
    messages: Sequence[Mapping[str, Any]],
    model: Model,
    signer: Signer,
    found: Found,
    *,
    thinking_enabled: bool,
) -> None:
    if not messages:
        # Deliberate choice: the real wording for an empty list is not public.
        raise InvalidRequestError("messages: at least one message is required")
    last = len(messages) - 1
    if messages[last].get("role") == "assistant":
        _check_prefill(messages[last], model)
    if _check_plain_turns(messages, model, last):
        return
    full_pass(messages, model, signer, found, thinking_enabled=thinking_enabled)


def full_pass(
    messages: Sequence[Mapping[str, Any]],
    model: Model,
    signer: Signer,
    found: Found,
    *,
    thinking_enabled: bool,
) -> None:
    """The pass over every message and block (``check_messages`` skips it for a
    conversation of plain string turns, which it checks itself)."""
    last = len(messages) - 1
    seen_ids: set[str] = set()
    # Consecutive same-role messages are one turn (the API merges them), so tool_use ids of an
    # assistant turn may be answered anywhere in the user turn that follows it.
    pending: dict[str, int] = {}  # tool_use id -> index of the assistant message holding it
    answered: set[str] = set()
    previous_role = None
    turn_start = 0  # first message after the last user message that is not only tool results
    turn_uses_tools = False
    first_kinds: list[str | None] = []

    for i, message in enumerate(messages):
        role = message.get("role")
        content = message.get("content")
        blocks: Sequence[Mapping[str, Any]]
        if isinstance(content, str):
            blocks = ()
            first_kinds.append("text")
            _check_string_content(i, content, i == last and role == "assistant")
        else:
            blocks = content or ()
            first_kinds.append(blocks[0].get("type") if blocks else None)
            if not blocks and not (i == last and role == "assistant"):
                raise InvalidRequestError(f"messages.{i}: {NON_EMPTY}")

        if role == "system" and not model.system_messages:
            raise InvalidRequestError(_system_role_refused(i))

        if role == "assistant" and previous_role == "user":
            _check_answered(pending, answered)
            pending, answered = {}, set()
        unexpected: list[str] = []
        unexpected_at = -1
        only_results = bool(blocks)
        for j, block in enumerate(blocks):
            kind = block.get("type")
            if block.get("cache_control") is not None:
                found.breakpoints += 1
            if kind != "tool_result":
                only_results = False
            if kind == "text":
                _check_text(f"messages.{i}.content.{j}", block.get("text", ""))
            elif kind == "tool_use":
                tool_id = block.get("id", "")
                if tool_id in seen_ids:
                    raise InvalidRequestError(
                        f"messages.{i}.content.{j}: `tool_use` ids must be unique"
                    )
                seen_ids.add(tool_id)
                if role == "assistant":
                    pending[tool_id] = i
            elif kind == "tool_result":
                tool_id = block.get("tool_use_id", "")
                if role == "user" and tool_id in pending:
                    answered.add(tool_id)
                else:
                    if unexpected_at < 0:
                        unexpected_at = j
                    unexpected.append(tool_id)
                _scan_nested(f"messages.{i}.content.{j}.tool_result", block.get("content"), found)
            elif kind == "thinking":
                if not signer.verify(block.get("thinking", ""), block.get("signature", "")):
                    raise InvalidRequestError(
                        f"messages.{i}.content.{j}: Invalid `signature` in `thinking` block"
                    )
            elif kind == "image":
                _collect_image(f"messages.{i}.content.{j}.image", block, found)
            elif kind == "document":
                _collect_document(f"messages.{i}.content.{j}.document", block, found)
            elif kind == "search_result":
                _scan_nested(f"messages.{i}.content.{j}.search_result", block.get("content"), found)
            elif kind == "container_upload":
                found.file_ids.append(block["file_id"])
            elif kind not in NO_FILES:
                # Tool inputs and server-tool results: a file reference may hide anywhere.
                file_ids_in(block, found.file_ids)

        if i == last and blocks:
            found.last_block_marked = blocks[-1].get("cache_control") is not None
        if unexpected:
            raise InvalidRequestError(
                f"messages.{i}.content.{unexpected_at}: unexpected `tool_use_id` found in "
                f"`tool_result` blocks: {', '.join(unexpected)}. Each `tool_result` block must "
                "have a corresponding `tool_use` block in the previous message."
            )
        if role in ("user", "assistant"):
            # Deliberate choice: a `system` message inside a turn does not split it.
            previous_role = role

        if role == "user":
            if only_results:
                turn_uses_tools = True
            else:
                turn_start, turn_uses_tools = i + 1, False

    # A final assistant turn with tool_use is a prefill: nothing answers it yet.
    if previous_role == "user":
        _check_answered(pending, answered)
    if thinking_enabled and turn_uses_tools and turn_start <= last:
        _check_turn_starts_with_thinking(turn_start, messages[turn_start], first_kinds[turn_start])


def plain_turns(messages: Sequence[Mapping[str, Any]], model: Model) -> bool:
    """``check_messages`` for a conversation of plain string turns ending with a user turn
    (most small requests), in one call: True when it is one and passes. False, having
    raised nothing, for anything else (no turn, a final assistant turn, a turn with
    blocks): ``check_messages`` then runs from the start and finds any error, in the same
    order. ``tests/test_fast_paths.py`` checks that both agree."""
    if not messages or messages[-1].get("role") == "assistant":
        return False  # the prefill rules come first: the general path has them
    return _check_plain_turns(messages, model, len(messages) - 1)


def _check_plain_turns(messages: Sequence[Mapping[str, Any]], model: Model, last: int) -> bool:
    """The whole pass for a conversation whose turns are all plain strings (most small
    requests): no blocks means no ids, pairing, signatures or breakpoints to track, only
    emptiness and roles. False, having raised nothing, at the first turn with blocks: the
    full pass then runs from the start and finds any error, in the same order."""
    system_refused = not model.system_messages
    for i, message in enumerate(messages):
        content = message.get("content")
        if not isinstance(content, str):
            return False
        if not content or content.isspace():  # the only contents refused: no call otherwise
            final_assistant = i == last and message.get("role") == "assistant"
            _check_string_content(i, content, final_assistant)
        if system_refused and message.get("role") == "system":
            raise InvalidRequestError(_system_role_refused(i))
    return True


def _check_string_content(index: int, content: str, final_assistant: bool) -> None:
    """A turn's string content: only a final assistant turn (a prefill) may be empty."""
    if not content:
        if not final_assistant:
            raise InvalidRequestError(f"messages.{index}: {NON_EMPTY}")
    elif content.isspace() and not final_assistant:
        raise InvalidRequestError(f"messages: {WHITESPACE_TEXT}")


def _system_role_refused(index: int) -> str:
    # Deliberate choice: worded as a gateway quotes it; the real text is not public.
    return f"messages.{index}: role 'system' is not supported on this model"


def finish(found: Found, model: Model) -> None:
    """The checks that need the whole request: image and PDF limits."""
    many = len(found.images) > media.MANY_IMAGES
    for path, source in found.images:
        media.check_image(path, source, many=many)
    if found.pdfs:
        pages = sum(media.check_pdf(path, source) for path, source in found.pdfs)
        # Documented: 600 pages per request, 100 for models with a context under 1M tokens.
        limit = 600 if model.max_input_tokens >= 1_000_000 else 100
        if pages > limit:
            raise InvalidRequestError(f"A maximum of {limit} PDF pages may be provided.")


def _resumes_paused_turn(message: Mapping[str, Any]) -> bool:
    """A final assistant turn ending in server-tool blocks is a ``pause_turn`` reply sent back
    as-is to let the model go on (the documented way to resume), not a prefill."""
    content = message.get("content")
    if isinstance(content, str) or not content:
        return False
    kind = str(content[-1].get("type", ""))
    return kind == "server_tool_use" or (kind.endswith("_tool_result") and kind != "tool_result")


def _check_prefill(message: Mapping[str, Any], model: Model) -> None:
    if _resumes_paused_turn(message):
        return
    if not model.prefill:
        raise InvalidRequestError(NO_PREFILL)
    content = message.get("content")
    if isinstance(content, str):
        text = content
    else:
        tail = content[-1] if content else None
        text = tail.get("text", "") if tail is not None and tail.get("type") == "text" else ""
    if text and text[-1].isspace():
        raise InvalidRequestError("final assistant content cannot end with trailing whitespace")


def _check_text(path: str, text: str) -> None:
    if not text:
        raise InvalidRequestError(f"{path}.text: {EMPTY_TEXT}")
    if text.isspace():
        raise InvalidRequestError(f"messages: {WHITESPACE_TEXT}")


def _check_answered(pending: Mapping[str, int], answered: set[str]) -> None:
    missing = [tool_id for tool_id in pending if tool_id not in answered]
    if not missing:
        return
    # Deliberate choice: the index is the assistant message holding the first unanswered id.
    index = pending[missing[0]]
    raise InvalidRequestError(
        f"messages.{index}: `tool_use` ids were found without `tool_result` blocks immediately "
        f"after: {', '.join(missing)}. Each `tool_use` block must have a corresponding "
        "`tool_result` block in the next message."
    )


def _check_turn_starts_with_thinking(
    index: int, message: Mapping[str, Any], first_kind: str | None
) -> None:
    if message.get("role") != "assistant" or first_kind in THINKING_BLOCKS:
        return
    raise InvalidRequestError(
        f"messages.{index}.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
        f"`{first_kind}`. When `thinking` is enabled, a final `assistant` message must start "
        "with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` "
        "blocks). We recommend you include thinking blocks from previous turns. To avoid this "
        "requirement, disable `thinking`. Please consult our documentation at "
        "https://docs.claude.com/en/docs/build-with-claude/extended-thinking"
    )


def _scan_nested(path: str, content: Any, found: Found) -> None:
    """Blocks inside a tool_result, search_result or custom-content document."""
    if not isinstance(content, list):
        return
    for k, block in enumerate(content):
        if block.get("cache_control") is not None:
            found.breakpoints += 1
        kind = block.get("type")
        if kind == "image":
            _collect_image(f"{path}.content.{k}.image", block, found)
        elif kind == "document":
            _collect_document(f"{path}.content.{k}.document", block, found)
        elif kind == "search_result":
            _scan_nested(f"{path}.content.{k}.search_result", block.get("content"), found)


def _collect_image(path: str, block: Mapping[str, Any], found: Found) -> None:
    source = block.get("source") or {}
    kind = source.get("type")
    if kind == "base64":
        found.images.append((f"{path}.source.base64", source))
    elif kind == "file":
        found.file_ids.append(source["file_id"])


def _collect_document(path: str, block: Mapping[str, Any], found: Found) -> None:
    source = block.get("source") or {}
    kind = source.get("type")
    if kind == "base64":
        found.pdfs.append((f"{path}.source.base64", source))
    elif kind == "file":
        found.file_ids.append(source["file_id"])
    elif kind == "content":
        _scan_nested(f"{path}.source.content", source.get("content"), found)
