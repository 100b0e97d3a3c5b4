"""Build ONE Message from a Reply and the request it answers.

Pure: ids, signatures and the input-token count are computed here or passed in, never
read from globals. The JSON body and the SSE stream are both renderings of the dict this
returns, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import orjson

from .. import tokens
from ..ids import message_id as new_message_id
from ..ids import new_id
from .kinds import KINDS, TEXT, Kind, kind_of
from .reply import Reply

Message = dict[str, Any]


class Usage(NamedTuple):
    """Input-side token counts, decided before the reply is built (estimator + cache).

    A NamedTuple: immutable, and made once per request far cheaper than a frozen dataclass."""

    input_tokens: int
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_5m: int = 0
    cache_creation_1h: int = 0
    service_tier: str = "standard"


def build_message(
    reply: Reply,
    request: Mapping[str, Any],
    usage: Usage,
    *,
    sign: Callable[[str], str],
    message_id: str | None = None,
) -> Message:
    content = reply.content  # filled in place: a Reply is built once (see ``Reply``)
    kinds, costs = _assign_ids(content)
    stop_reason = reply.stop_reason
    stop_sequence = reply.stop_sequence
    output_tokens = sum(costs)
    if reply.apply_limits:
        stop_sequences = request.get("stop_sequences")
        if stop_sequences:
            content, cut = _apply_stop_sequences(content, stop_sequences)
            if cut is not None:
                stop_reason, stop_sequence = "stop_sequence", cut
                kinds = kinds[: len(content)]
                costs = [kind.tokens(block) for kind, block in zip(kinds, content, strict=True)]
                output_tokens = sum(costs)
        max_tokens = int(request.get("max_tokens") or 0)
        if output_tokens > max_tokens:
            content, costs = _apply_max_tokens(content, kinds, costs, max_tokens)
            stop_reason, stop_sequence = "max_tokens", None
            output_tokens = sum(costs)
    # One pass over the final content: signatures, and what the stop reason and usage need.
    thinking_tokens = 0
    calls_tool = calls_server_tool = False
    # Text blocks need none of it, and most replies are text only: their pass is skipped
    # (the cuts above keep a prefix of the blocks, so the kinds found before them tell).
    if kinds.count(TEXT) != len(kinds):
        for i, block in enumerate(content):
            kind = block["type"]
            if kind == "thinking":
                thinking_tokens += costs[i]
                if not block.get("signature"):
                    block["signature"] = sign(block.get("thinking", ""))
            elif kind == "tool_use":
                calls_tool = True
            elif kind == "server_tool_use":
                calls_server_tool = True
    if stop_reason is None:
        stop_reason = "tool_use" if calls_tool else "end_turn"

    # One unpacking, not six attribute reads of the NamedTuple (with the one sum above: 900
    # instructions a message, callgrind).
    input_tokens, creation_tokens, read_tokens, creation_5m, creation_1h, tier = usage
    usage_out: dict[str, Any] = {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": creation_tokens,
        "cache_read_input_tokens": read_tokens,
        "cache_creation": {
            "ephemeral_5m_input_tokens": creation_5m,
            "ephemeral_1h_input_tokens": creation_1h,
        },
        "output_tokens": output_tokens,
        "service_tier": tier,
        # Echoed from the request; "not_available" is what recorded real streams show.
        "inference_geo": request.get("inference_geo") or "not_available",
    }
    if request.get("speed"):
        usage_out["speed"] = request["speed"]
    if thinking_tokens:
        # Deliberate choice: the decomposition is sent only when the reply thought.
        usage_out["output_tokens_details"] = {"thinking_tokens": thinking_tokens}
    if calls_server_tool:
        usage_out["server_tool_use"] = _server_tool_usage(content)
    if reply.usage:
        usage_out.update(reply.usage)
        # A fixture's null leaves the key out: a recorded usage replays exactly as it came.
        for key in [k for k, v in reply.usage.items() if v is None]:
            del usage_out[key]

    message: Message = {
        "id": message_id or new_message_id(),
        "type": "message",
        "role": "assistant",
        # Deliberate choice (issue #3): the id the request named. The real API answers an
        # alias with its dated id; a fixture's `model:` override reproduces that.
        "model": reply.model or request.get("model", ""),
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "stop_details": reply.stop_details,
        "usage": usage_out,
    }
    if reply.container is not None:
        message["container"] = reply.container
    return message


def _assign_ids(content: list[dict[str, Any]]) -> tuple[list[Kind], list[int]]:
    """Fresh ids for calls that have none; results without a ``tool_use_id`` answer the call
    just before them. Returns each block's kind and output tokens (``usage.output_tokens``),
    in the same pass (one pass, not one per question: 2,400 instructions per small request);
    raises ``UnknownBlockKind`` for a block of no known kind."""
    kinds = []
    costs = []
    last_call: str | None = None
    for block in content:
        kind = KINDS.get(block.get("type"))  # type: ignore[arg-type]
        if kind is None:
            kind = kind_of(block)  # raises
        kinds.append(kind)
        # A text block's count called directly, not through ``TEXT.tokens`` (one call less).
        costs.append(
            tokens.count_text(block.get("text", "")) if kind is TEXT else kind.tokens(block)
        )
        if kind.id_prefix is not None:
            if not block.get("id"):
                block["id"] = new_id(kind.id_prefix)
            last_call = block["id"]
        elif kind.answers_call and not block.get("tool_use_id"):
            # A result written in a fixture right after its call belongs to that call.
            block["tool_use_id"] = last_call or new_id("srvtoolu_")
    return kinds, costs


def _apply_stop_sequences(
    content: list[dict[str, Any]], stop_sequences: Any
) -> tuple[list[dict[str, Any]], str | None]:
    for i, block in enumerate(content):
        if block["type"] != "text":
            continue
        text = block.get("text", "")
        hit: tuple[int, str] | None = None
        for seq in stop_sequences:
            if not seq:
                continue
            at = text.find(seq)
            if at >= 0 and (hit is None or at < hit[0]):
                hit = (at, seq)
        if hit is not None:
            block["text"] = text[: hit[0]]
            return content[: i + 1], hit[1]
    return content, None


def _apply_max_tokens(
    content: list[dict[str, Any]], kinds: list[Kind], costs: list[int], max_tokens: int
) -> tuple[list[dict[str, Any]], list[int]]:
    """The content that fits in ``max_tokens`` (which the blocks' ``costs`` exceed) and the
    token count of each kept block."""
    budget = max_tokens
    out: list[dict[str, Any]] = []
    kept: list[int] = []
    for block, kind, cost in zip(content, kinds, costs, strict=True):
        if cost <= budget:
            out.append(block)
            kept.append(cost)
            budget -= cost
            continue
        name = block["type"]
        if name == "text" and budget > 0:
            block["text"] = tokens.truncate_text(block.get("text", ""), budget)
            out.append(block)
        elif name == "thinking" and budget > 0:
            block["thinking"] = tokens.truncate_text(block.get("thinking", ""), budget)
            block.pop("signature", None)
            out.append(block)
        elif kind.id_prefix is not None and budget > 4:
            # Deliberate choice: a tool call cut mid-input keeps the whole key/value pairs
            # that fit, so the JSON body and the streamed input_json_delta fragments parse to
            # the same object (the SDK tolerates a cut tool call at max_tokens).
            block["input"] = _truncate_input(block.get("input", {}), budget - 4)
            out.append(block)
        if len(out) > len(kept):
            kept.append(kind.tokens(out[-1]))
        break
    return out, kept


def _truncate_input(value: Mapping[str, Any], budget: int) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, item in value.items():
        trial = {**kept, key: item}
        if tokens.count_text(orjson.dumps(trial).decode()) > budget:
            break
        kept = trial
    return kept


def _server_tool_usage(content: list[dict[str, Any]]) -> dict[str, int]:
    names = [b.get("name") for b in content if b["type"] == "server_tool_use"]
    return {
        "web_search_requests": names.count("web_search"),
        "web_fetch_requests": names.count("web_fetch"),
    }
