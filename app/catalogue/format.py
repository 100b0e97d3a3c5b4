"""The catalogue file format (``models.yaml``, and ``models:`` in fixture files), as pydantic
models on the fixtures' ``Strict`` base: an unknown key is a load error with a did-you-mean,
and every problem names its file and line (``fixtures.source``).

An entry gives only the keys it changes: in the built-in catalogue the file's ``defaults``
fill the rest; in a user's file an entry with a known id overrides those keys of the built-in
model, and a new id needs ``display_name`` and ``created_at`` (checked after merging).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field

from ..fixtures.strict import Strict, no_items
from .model_info import THINKING_TYPES


def _text(value: Any) -> Any:
    # YAML reads an unquoted 2026-01-01 as a date: keep the text the user wrote.
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


Date = Annotated[str, BeforeValidator(_text)]
ThinkingType = Literal["adaptive", "between_tools", "disabled", "enabled"]
assert set(ThinkingType.__args__) == set(THINKING_TYPES)  # type: ignore[attr-defined]


class ModelKeys(Strict):
    """Every key a model entry (or the file's ``defaults``) may give."""

    aliases: list[str] | None = None
    """Other names requests may use for the model (dated ids, short names)."""
    display_name: str | None = None
    created_at: Date | None = None
    """RFC 3339 date or time; ``GET /v1/models`` lists newest first by it."""
    lifecycle: Literal["active", "deprecated", "retired"] | None = None
    """``retired``: requests get the real 404; the model is still retrievable."""
    deprecated_at: Date | None = None
    retires_at: Date | None = None
    line: str | None = None
    """The model family (``sonnet``, ``opus``...)."""
    max_tokens: int | None = Field(default=None, ge=1)
    """Output limit: a larger ``max_tokens`` is the real 400."""
    max_input_tokens: int | None = Field(default=None, ge=1)
    """Context window."""
    sampling_params: bool | None = None
    """Accepts ``temperature``/``top_p``/``top_k`` under ``anthropic-version: 2023-06-01``."""
    exclusive_sampling: bool | None = None
    """Refuses ``temperature`` and ``top_p`` together."""
    thinking: list[ThinkingType] | None = None
    """The ``thinking.type`` values the model accepts."""
    thinking_display: Literal["summarized", "omitted"] | None = None
    """Default ``thinking.display``."""
    prefill: bool | None = None
    """Accepts a final assistant message (prefill)."""
    system_messages: bool | None = None
    """Accepts ``role: system`` inside ``messages``."""
    inference_geo: bool | None = None
    """Accepts the ``inference_geo`` parameter."""
    min_cache_tokens: int | None = Field(default=None, ge=0)
    """Minimum cacheable prefix (prompt caching)."""
    forced_tool_choice: Literal["always", "without_thinking", "never"] | None = None
    """When ``tool_choice`` ``any``/``tool`` is accepted: with thinking too, only without, never."""
    capabilities: dict[str, Any] | None = None
    """Overrides of the capability flags ``GET /v1/models`` serves (a bool for a group, or
    leaf by leaf)."""


class ModelEntry(ModelKeys):
    id: str = Field(min_length=1)


class CatalogueFile(Strict):
    """A ``models.yaml`` file."""

    document: ClassVar[str] = "a model catalogue (models.yaml)"
    shape: ClassVar[str] = "a mapping with `models:` (and optionally `defaults:`)"
    defaults: ModelKeys | None = None
    """Keys every entry of this file starts from."""
    models: list[ModelEntry] = Field(default_factory=no_items)
