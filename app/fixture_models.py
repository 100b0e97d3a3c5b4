"""The fixture file format, as pydantic models: what a user may write, and nothing else.

These models are the single definition of the format: the loader validates every file with
them, ``scripts/gen_fixture_schema.py`` publishes them as ``fixtures/schema.json`` and
``fixtures/README.md`` documents each key. Every model refuses unknown keys with a message
that lists what is allowed, so a typo (``regx:``) is a load error, never a silent no-match.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


class Strict(BaseModel):
    """Base: unknown keys are refused with the list of allowed ones. A subclass that sets
    ``shorthand_key`` may also be written as a bare scalar meaning ``{shorthand_key: value}``."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, frozen=True, use_attribute_docstrings=True
    )
    shorthand_key: ClassVar[str | None] = None
    shorthand_schema: ClassVar[dict[str, Any]] = {}
    allowed_keys: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.allowed_keys = frozenset(f.alias or name for name, f in cls.model_fields.items())

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if cls.shorthand_key is not None and not isinstance(data, dict):
            return {cls.shorthand_key: data}
        if isinstance(data, dict) and not cls.allowed_keys.issuperset(data):
            allowed = cls.allowed_keys
            for key in data:
                if key not in allowed:
                    raise PydanticCustomError(
                        "unknown_key",
                        "unknown key `{key}`; allowed: {allowed}",
                        {"key": str(key), "allowed": ", ".join(sorted(allowed))},
                    )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler(schema)
        if cls.shorthand_key is None:
            return full
        return {"anyOf": [cls.shorthand_schema, full]}


# -- matchers ------------------------------------------------------------------------------

STRING_OPERATORS = ("equals", "contains", "startswith", "endswith", "regex", "glob", "in")
_STRING_FIELDS = frozenset(op if op != "in" else "in_" for op in STRING_OPERATORS)


class StrMatch(Strict):
    """A test on a string. A bare string means `equals`. Several operators: all must hold."""

    shorthand_key = "equals"
    shorthand_schema = {"type": "string", "description": "shorthand for {equals: ...}"}

    equals: str | None = None
    contains: str | None = None
    startswith: str | None = None
    endswith: str | None = None
    regex: str | None = None
    """Python regular expression, searched (use ^...$ to anchor); groups become `match`."""
    glob: str | None = None
    """Shell-style pattern over the whole value (`claude-*-4-5*`)."""
    in_: list[str] | None = Field(default=None, alias="in")
    ignore_case: bool = False

    @model_validator(mode="after")
    def _one_operator(self) -> StrMatch:
        if self.model_fields_set.isdisjoint(_STRING_FIELDS):
            raise PydanticCustomError(
                "no_operator", "give at least one of: " + ", ".join(STRING_OPERATORS)
            )
        return self


class IntMatch(Strict):
    """A test on a count. A bare number means `equals`."""

    shorthand_key = "equals"
    shorthand_schema = {"type": "integer", "description": "shorthand for {equals: ...}"}

    equals: int | None = None
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None
    in_: list[int] | None = Field(default=None, alias="in")


class ValueMatch(Strict):
    """A test on any JSON value found at a path. A bare value means `equals`."""

    shorthand_key = "equals"
    shorthand_schema = {
        "type": ["string", "number", "boolean", "null", "array", "object"],
        "description": "shorthand for {equals: ...}",
    }

    equals: Any = None
    exists: bool | None = None
    contains: str | None = None
    startswith: str | None = None
    endswith: str | None = None
    regex: str | None = None
    glob: str | None = None
    in_: list[Any] | None = Field(default=None, alias="in")
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    ignore_case: bool = False


class ToolsMatch(Strict):
    """Tools offered in the request."""

    include: list[str] | None = None
    """Every one of these tool names is offered."""
    exclude: list[str] | None = None
    """None of these tool names is offered."""
    count: IntMatch | None = None
    name: StrMatch | None = None
    """At least one offered tool's name passes this test."""


class ToolChoiceMatch(Strict):
    """`tool_choice`; a bare string tests its `type` (auto, any, tool, none)."""

    shorthand_key = "type"
    shorthand_schema = {"type": "string", "description": "shorthand for {type: ...}"}

    type: StrMatch | None = None
    name: StrMatch | None = None


class ToolResultMatch(Strict):
    """`tool_result` blocks in the last user turn. `true`/`false`: present or not."""

    shorthand_key = "present"
    shorthand_schema = {"type": "boolean", "description": "shorthand for {present: ...}"}

    present: bool = True
    name: StrMatch | None = None
    """Name of the tool whose call the result answers (looked up by tool_use_id)."""
    is_error: bool | None = None
    content: StrMatch | None = None
    """Text of the result (string content or its text blocks)."""


class MediaMatch(Strict):
    """Images or documents anywhere in the messages. `true`/`false`: any present or none."""

    shorthand_key = "present"
    shorthand_schema = {"type": "boolean", "description": "shorthand for {present: ...}"}

    present: bool | None = None
    count: IntMatch | None = None
    media_type: StrMatch | None = None
    """At least one item has a media type passing this test."""
    sha256: str | None = None
    """At least one base64 item's decoded bytes have this hex SHA-256."""


class Match(Strict):
    """All conditions given must hold. An empty `match` (or none) matches every request."""

    model: StrMatch | None = None
    last_user_text: StrMatch | None = None
    """Text of the last user message (string content or its text blocks joined by newlines)."""
    any_text: StrMatch | None = None
    """Some message's text (any role) passes the test."""
    system: StrMatch | None = None
    """The system prompt's text (blocks joined by newlines); absent system = empty string."""
    tools: ToolsMatch | None = None
    tool_choice: ToolChoiceMatch | None = None
    tool_result: ToolResultMatch | None = None
    turn: IntMatch | None = None
    """Number of assistant turns in `messages` so far (0 on the first call)."""
    stream: bool | None = None
    thinking: bool | None = None
    """Extended thinking requested (`thinking.type` enabled or adaptive)."""
    images: MediaMatch | None = None
    documents: MediaMatch | None = None
    metadata_user_id: StrMatch | None = None
    beta: StrMatch | None = None
    """Some `anthropic-beta` value passes the test."""
    headers: dict[str, StrMatch] | None = None
    """Request headers by (case-insensitive) name; a missing header fails."""
    fields: dict[str, ValueMatch] | None = None
    """Path into the request body (`tools[0].name`, `messages[*].role`, `metadata.user_id`):
    `[*]` means some element."""
    any: list[Match] | None = None
    all: list[Match] | None = None
    not_: Match | None = Field(default=None, alias="not")


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


Match.model_rebuild()
