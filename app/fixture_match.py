"""The ``match:`` section of the fixture format: tests on a request, as pydantic models.

Compiled into predicates by ``conditions``; a bare scalar is shorthand for the usual operator
(a string means ``equals``, ``true`` means ``present``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .fixture_strict import Strict

STRING_OPERATORS = ("equals", "contains", "startswith", "endswith", "regex", "glob", "in")
_STRING_FIELDS = frozenset(op if op != "in" else "in_" for op in STRING_OPERATORS)


class StrMatch(Strict):
    """A test on a string. A bare string means `equals`. Several operators: all must hold."""

    shorthand_key = "equals"
    shorthand_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "description": "shorthand for {equals: ...}",
    }

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
    shorthand_schema: ClassVar[dict[str, Any]] = {
        "type": "integer",
        "description": "shorthand for {equals: ...}",
    }

    equals: int | None = None
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None
    in_: list[int] | None = Field(default=None, alias="in")


class ValueMatch(Strict):
    """A test on any JSON value found at a path. A bare value means `equals`."""

    shorthand_key = "equals"
    shorthand_schema: ClassVar[dict[str, Any]] = {
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
    shorthand_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "description": "shorthand for {type: ...}",
    }

    type: StrMatch | None = None
    name: StrMatch | None = None


class ToolResultMatch(Strict):
    """`tool_result` blocks in the last user turn. `true`/`false`: present or not."""

    shorthand_key = "present"
    shorthand_schema: ClassVar[dict[str, Any]] = {
        "type": "boolean",
        "description": "shorthand for {present: ...}",
    }

    present: bool = True
    name: StrMatch | None = None
    """Name of the tool whose call the result answers (looked up by tool_use_id)."""
    is_error: bool | None = None
    content: StrMatch | None = None
    """Text of the result (string content or its text blocks)."""


class MediaMatch(Strict):
    """Images or documents anywhere in the messages. `true`/`false`: any present or none."""

    shorthand_key = "present"
    shorthand_schema: ClassVar[dict[str, Any]] = {
        "type": "boolean",
        "description": "shorthand for {present: ...}",
    }

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


Match.model_rebuild()
