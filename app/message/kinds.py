"""The kinds of content block a reply can hold: one entry per kind, read by every stage.

An entry says what a block of that kind costs in output tokens (``build``), how it is
streamed (``render``: the payload of its ``content_block_start`` and the deltas that follow),
which id prefix it gets when a reply leaves its id out (tool calls), whether it answers the
call just before it (server-tool results), and which keys a fixture may write for it (its
model in ``fixtures.format_blocks``; the fixture format's ``Block`` is the union of the
models named here). A new kind is one entry here and, if no model fits, one model there;
``kind_of`` refuses a block of a kind with no entry, so build and render never guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, Field

from .. import tokens
from ..fixtures.format_blocks import (
    RESULT_TYPES,
    RedactedThinkingBlock,
    ResultBlock,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)
from .chunks import chunks

Block = Mapping[str, Any]
"""A content block as built (a plain dict)."""
Delta = dict[str, Any]


class UnknownBlockKind(ValueError):
    """A block whose ``type`` has no entry in ``KINDS`` (a bug: the fixture format and the
    responder only make known kinds)."""


@dataclass(frozen=True, slots=True)
class Kind:
    fixture: type[BaseModel]
    """The keys a fixture may write for this kind."""
    tokens: Callable[[Block], int]
    """Output tokens the block costs (``usage.output_tokens``, ``max_tokens`` cuts)."""
    start: Callable[[Block], dict[str, Any]]
    """The ``content_block`` of its ``content_block_start`` event."""
    deltas: Callable[[Block, int], Iterator[Delta]] | None = None
    """Its ``content_block_delta`` payloads for a chunk size; None: it arrives whole."""
    id_prefix: str | None = None
    """A call: the prefix of the id it gets when the reply has none."""
    answers_call: bool = False
    """A result: its ``tool_use_id`` defaults to the call just before it."""
    file_key: str | None = None
    """The text key a fixture may also give as ``<key>_file`` (read at load, "" if neither)."""


# -- text and thinking ---------------------------------------------------------------------
def _text_start(block: Block) -> dict[str, Any]:
    start: dict[str, Any] = {"type": "text", "text": ""}
    if block.get("citations"):
        start["citations"] = []
    return start


def _text_deltas(block: Block, chunk_size: int) -> Iterator[Delta]:
    for citation in block.get("citations") or ():
        yield {"type": "citations_delta", "citation": citation}
    for chunk in chunks(block.get("text", ""), chunk_size):
        yield {"type": "text_delta", "text": chunk}


def _thinking_deltas(block: Block, chunk_size: int) -> Iterator[Delta]:
    for chunk in chunks(block.get("thinking", ""), chunk_size):
        yield {"type": "thinking_delta", "thinking": chunk}
    yield {"type": "signature_delta", "signature": block.get("signature", "")}


TEXT = Kind(
    TextBlock,
    tokens=lambda b: tokens.count_text(b.get("text", "")),
    start=_text_start,
    deltas=_text_deltas,
    file_key="text",
)
THINKING = Kind(
    ThinkingBlock,
    tokens=lambda b: tokens.count_text(b.get("thinking", "")),
    start=lambda b: {"type": "thinking", "thinking": "", "signature": ""},
    deltas=_thinking_deltas,
    file_key="thinking",
)
REDACTED_THINKING = Kind(
    RedactedThinkingBlock,
    tokens=lambda b: max(1, len(b.get("data", "")) // 8),
    start=dict,
)


# -- tool calls and their results ------------------------------------------------------
def _call_tokens(block: Block) -> int:
    return 4 + tokens.count_text(orjson.dumps(block.get("input", {})).decode())


def _input_deltas(block: Block, chunk_size: int) -> Iterator[Delta]:
    yield {"type": "input_json_delta", "partial_json": ""}
    raw = orjson.dumps(block.get("input", {})).decode()
    for i in range(0, len(raw), max(1, chunk_size)):
        yield {"type": "input_json_delta", "partial_json": raw[i : i + chunk_size]}


def _call(prefix: str) -> Kind:
    return Kind(
        ToolUseBlock,
        tokens=_call_tokens,
        start=lambda b: {**b, "input": {}},
        deltas=_input_deltas,
        id_prefix=prefix,
    )


def _result(name: str) -> Kind:
    # Result blocks are produced by the server, not the model: no output tokens.
    return Kind(
        ResultBlock, tokens=lambda b: 0, start=dict, answers_call=name.endswith("_tool_result")
    )


KINDS: dict[str, Kind] = {
    "text": TEXT,
    "thinking": THINKING,
    "redacted_thinking": REDACTED_THINKING,
    "tool_use": _call("toolu_"),
    "server_tool_use": _call("srvtoolu_"),
    "mcp_tool_use": _call("mcptoolu_"),
    **{name: _result(name) for name in RESULT_TYPES},
}

# The fixture format's reply block: one model per kind, told apart by ``type``. Written out
# for the type checker; ``test_block_kinds`` fails when a kind's model is missing here.
FixtureBlock = Annotated[
    TextBlock | ThinkingBlock | RedactedThinkingBlock | ToolUseBlock | ResultBlock,
    Field(discriminator="type"),
]


def kind_of(block: Block) -> Kind:
    kind = KINDS.get(block.get("type"))  # type: ignore[arg-type]
    if kind is None:
        raise UnknownBlockKind(f"no content block kind {block.get('type')!r}")
    return kind
