"""The fixture file format, as pydantic models: what a user may write, and nothing else.

These models are the single definition of the format: the loader validates every file with
them, ``scripts/gen_fixture_schema.py`` publishes them as ``fixtures/schema.json`` and
``fixtures/README.md`` documents each key. Every model refuses unknown keys with a message
that lists what is allowed (``fixture_strict``), so a typo (``regx:``) is a load error, never
a silent no-match. The ``match:`` models live in ``fixture_match``; the rest is here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .fixture_match import Match
from .fixture_strict import Strict

# -- replies -------------------------------------------------------------------------------


class TextBlock(Strict):
    type: Literal["text"]
    text: str | None = None
    """A template over the request (`{{ last_user_text }}`, `{{ match.city }}`)."""
    text_file: str | None = None
    """Path, relative to this fixture file, of a file holding the text (inside fixtures/)."""
    citations: list[dict[str, Any]] | None = None


class ThinkingBlock(Strict):
    type: Literal["thinking"]
    thinking: str | None = None
    thinking_file: str | None = None
    signature: str | None = None
    """Left out: the sandbox signs the block so it verifies on the next turn."""


class RedactedThinkingBlock(Strict):
    type: Literal["redacted_thinking"]
    data: str


class ToolUseBlock(Strict):
    type: Literal["tool_use", "server_tool_use", "mcp_tool_use"]
    name: str
    id: str | None = None
    input: dict[str, Any] | None = None
    """Literal input (strings inside may be templates)."""
    generate: bool = False
    """Generate an input valid against the offered tool's `input_schema`."""
    server_name: str | None = None
    """`mcp_tool_use` only."""


RESULT_TYPES = (
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "tool_search_tool_result",
    "mcp_tool_result",
    "container_upload",
)


class ResultBlock(BaseModel):
    """Server-tool result blocks, passed through as written (`tool_use_id` defaults to the
    call just before it)."""

    model_config = ConfigDict(extra="allow", frozen=True, use_attribute_docstrings=True)
    type: Literal[RESULT_TYPES]  # type: ignore[valid-type]


Block = Annotated[
    TextBlock | ThinkingBlock | RedactedThinkingBlock | ToolUseBlock | ResultBlock,
    Field(discriminator="type"),
]

STOP_REASONS = Literal[
    "end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"
]


class Reply(Strict):
    """What the model answers: `text` (shorthand for one text block) or `content` blocks."""

    text: str | None = None
    text_file: str | None = None
    content: list[Block] | None = None
    stop_reason: STOP_REASONS | None = None
    """Left out: `tool_use` when a tool is called, else `end_turn` (or the request's limits)."""
    stop_sequence: str | None = None
    stop_details: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    """Merged over the computed usage (`output_tokens: 7`)."""
    model: str | None = None
    """Echoed model id instead of the request's."""
    apply_limits: bool = True
    """Cut the content at the request's `stop_sequences` / `max_tokens` like the real API."""

    @model_validator(mode="after")
    def _one_source(self) -> Reply:
        given = [k for k in ("text", "text_file", "content") if getattr(self, k) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "reply_source", "give exactly one of `text`, `text_file`, `content`"
            )
        return self


class Error(Strict):
    """An HTTP error in Anthropic's envelope, sent instead of a reply."""

    type: str = "api_error"
    """`error.type`: overloaded_error, rate_limit_error, api_error, invalid_request_error..."""
    status: int | None = None
    """Left out: the real status for `type` (529 overloaded, 429 rate limit, 500 api_error)."""
    message: str | None = None
    headers: dict[str, str | int | float | bool] | None = None
    """Extra response headers: `retry-after`, `retry-after-ms`, `x-should-retry`."""
    error_code: str | None = None
    """Sent as `error.details.error_code` (the SDK maps some codes to subclasses)."""


class StreamError(Strict):
    type: str = "overloaded_error"
    message: str | None = None


class Stream(Strict):
    """How a streamed answer is written: pacing and injected faults. Ignored without
    `stream: true` in the request."""

    chunk_size: int | None = Field(default=None, ge=1)
    """Characters per text/thinking delta and per `input_json_delta` fragment."""
    first_token_ms: float | None = Field(default=None, ge=0)
    """Pause before the first content delta (time to first token)."""
    tokens_per_second: float | None = Field(default=None, gt=0)
    """Pause 1/rate between content deltas."""
    jitter: float | None = Field(default=None, ge=0, le=1)
    """Each pause varies by up to this fraction (deterministic per message)."""
    ping_interval_ms: float | None = Field(default=None, gt=0)
    """During a pause longer than this, a `ping` event is sent every interval."""
    error_after_events: int | None = Field(default=None, ge=0)
    """After this many events, send `event: error` and end the stream."""
    error: StreamError | None = None
    """The error event's type and message (default overloaded_error / Overloaded)."""
    drop_after_events: int | None = Field(default=None, ge=0)
    """After this many events, cut the connection without a clean end."""
    omit_message_stop: bool | None = None
    """End the stream after `message_delta`, without `message_stop`."""


class Step(Strict):
    """One step of a script: a reply or an error, optionally with its own stream options."""

    reply: Reply | None = None
    error: Error | None = None
    stream: Stream | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Step:
        if (self.reply is None) == (self.error is None):
            raise PydanticCustomError("step_action", "give exactly one of `reply`, `error`")
        return self


class Script(Strict):
    """Ordered steps for a conversation or a retry test."""

    steps: list[Step] = Field(min_length=1)
    advance: Literal["turn", "session"] = "turn"
    """`turn`: step = number of assistant turns in the request (stateless, parallel-safe).
    `session`: step = calls so far in this session (header `x-sandbox-session`, default
    `global`)."""
    after: Literal["repeat_last", "cycle", "stop"] = "repeat_last"
    """Past the last step: repeat it, start over, or stop matching (fall through)."""


class Rule(Strict):
    id: str = Field(min_length=1)
    """Unique across the fixtures directory; sent back in `x-sandbox-rule`."""
    description: str | None = None
    priority: int = 0
    """Higher wins; ties go to file path order, then position in the file."""
    match: Match = Field(default_factory=Match)
    reply: Reply | None = None
    error: Error | None = None
    script: Script | None = None
    stream: Stream | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Rule:
        given = [k for k in ("reply", "error", "script") if getattr(self, k) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "rule_action", "give exactly one of `reply`, `error`, `script`"
            )
        return self


class Defaults(Strict):
    """Settings for the whole fixture set (merged across files in path order)."""

    strict: bool | None = None
    """Unmatched requests get a 400 naming the closest rules (like SANDBOX_STRICT)."""
    stream: Stream | None = None
    """Stream options for every streamed answer, fixture or default."""


class FixtureFile(Strict):
    """One YAML file under the fixtures directory."""

    defaults: Defaults | None = None
    rules: list[Rule] = Field(default_factory=list)
    models: list[dict[str, Any]] = Field(default_factory=list)
    """Extra model catalogue entries (same keys as models.yaml)."""
