"""The model catalogue: ids, aliases, limits and per-model switches, loaded from YAML.

Request validation and ``GET /v1/models`` read the same ``Catalogue``, so a limit the
models endpoint advertises is the limit the Messages endpoint enforces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..errors import FixtureError
from .model_info import capabilities, model_info

CATALOGUE_FILE = "models.yaml"

_SWITCHES = {
    "sampling_params",
    "thinking",
    "thinking_display",
    "prefill",
    "system_messages",
    "inference_geo",
    "min_cache_tokens",
    "exclusive_sampling",
    "forced_tool_choice",
}
FORCED_TOOL_CHOICE = ("always", "without_thinking", "never")
"""When a model takes ``tool_choice`` ``any``/``tool``: also with thinking on, only with
thinking off, or not at all."""
_KNOWN_KEYS = _SWITCHES | {
    "id",
    "aliases",
    "display_name",
    "created_at",
    "lifecycle",
    "deprecated_at",
    "retires_at",
    "line",
    "max_tokens",
    "max_input_tokens",
    "capabilities",
}


@dataclass(frozen=True)
class Model:
    id: str
    display_name: str
    created_at: str
    lifecycle: str = "active"
    aliases: tuple[str, ...] = ()
    deprecated_at: str | None = None
    retires_at: str | None = None
    line: str | None = None
    max_tokens: int = 128000
    max_input_tokens: int = 1000000
    sampling_params: bool = False
    thinking: frozenset[str] = frozenset({"adaptive", "disabled"})
    thinking_display: str = "omitted"
    prefill: bool = False
    system_messages: bool = True
    inference_geo: bool = True
    min_cache_tokens: int = 1024
    exclusive_sampling: bool = True
    forced_tool_choice: str = "always"
    capabilities: Mapping[str, Any] = field(default_factory=dict)

    @property
    def retired(self) -> bool:
        return self.lifecycle == "retired"

    @cached_property
    def effort_levels(self) -> frozenset[str] | None:
        """The ``output_config.effort`` levels the model takes (its ``capabilities.effort``,
        as ``GET /v1/models`` serves them); None when it takes no effort at all."""
        effort = capabilities(self)["effort"]
        if not effort["supported"]:
            return None
        return frozenset(k for k, v in effort.items() if isinstance(v, dict) and v["supported"])


@dataclass(frozen=True)
class Catalogue:
    models: tuple[Model, ...]
    _by_name: Mapping[str, Model]
    sources: tuple[str, ...] = ()
    """Where the models came from (the built-in catalogue, files), for the start-up log."""

    @classmethod
    def of(cls, models: Iterable[Model], sources: Iterable[str] = ()) -> Catalogue:
        models = tuple(models)
        by_name: dict[str, Model] = {}
        for m in models:
            by_name[m.id] = m
            for alias in m.aliases:
                by_name[alias] = m
        return cls(models, by_name, tuple(sources))

    def summary(self) -> str:
        return f"{len(self.models)} models from {' + '.join(self.sources) or 'nowhere'}"

    def get(self, name: str) -> Model | None:
        """The model a request names (id or alias), or None when unknown."""
        return self._by_name.get(name)

    def newest_first(self, *, include_retired: bool = False) -> list[Model]:
        return sorted(
            (m for m in self.models if include_retired or not m.retired),
            key=lambda m: (m.created_at, m.id),
            reverse=True,
        )


BUILTIN = Path(__file__).with_name(CATALOGUE_FILE)
"""The catalogue shipped with the package: every model the pinned SDK lists."""


def load_catalogue(
    fixtures_dir: Path, extra: Iterable[Mapping[str, Any]] = (), *, builtin: bool = True
) -> Catalogue:
    """The built-in catalogue (unless ``builtin`` is off), then ``<fixtures>/models.yaml``
    (when present), then models declared in fixture files. A later entry with the id of an
    earlier one overrides the keys it gives; a new id extends the catalogue."""
    entries: dict[str, tuple[str, dict[str, Any]]] = {}
    if builtin:
        _read(BUILTIN, entries)
    _read(fixtures_dir / CATALOGUE_FILE, entries)
    for raw in extra:
        _merge(entries, "fixture files", {}, raw)
    models = []
    seen: set[str] = set()
    sources: dict[str, None] = {}
    for source, raw in entries.values():
        sources["the built-in catalogue" if source == str(BUILTIN) else source] = None
        model = _model(source, raw)
        for name in (model.id, *model.aliases):
            if name in seen:
                raise FixtureError(f"model id or alias {name!r} is declared twice", file=source)
            seen.add(name)
        models.append(model)
    return Catalogue.of(models, sources)


def _read(path: Path, entries: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """Add the models of one catalogue file; its ``defaults`` apply to its own entries."""
    if not path.is_file():
        return
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FixtureError(str(exc), file=str(path), line=mark.line + 1 if mark else None) from None
    if not isinstance(doc, dict):
        raise FixtureError("expected a mapping with `defaults` and `models`", file=str(path))
    defaults = dict(doc.get("defaults") or {})
    for raw in doc.get("models") or []:
        _merge(entries, str(path), defaults, raw)


def _merge(
    entries: dict[str, tuple[str, dict[str, Any]]],
    source: str,
    defaults: Mapping[str, Any],
    raw: Mapping[str, Any],
) -> None:
    if not isinstance(raw, Mapping):
        raise FixtureError(f"a model entry must be a mapping, got {raw!r}", file=source)
    known = entries.get(str(raw.get("id")))
    if known is not None:
        # An override: only the keys it gives change (defaults do not reset the others).
        entries[str(raw["id"])] = (source, {**known[1], **raw})
    else:
        entries[str(raw.get("id"))] = (source, {**defaults, **raw})


def _model(source: str, raw: Mapping[str, Any]) -> Model:
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise FixtureError(
            f"model {raw.get('id')!r}: unknown key(s) {sorted(unknown)}; "
            f"allowed: {sorted(_KNOWN_KEYS)}",
            file=source,
        )
    for key in ("id", "display_name", "created_at"):
        if not raw.get(key):
            raise FixtureError(f"model {raw.get('id')!r}: `{key}` is required", file=source)
    if raw.get("forced_tool_choice", "always") not in FORCED_TOOL_CHOICE:
        raise FixtureError(
            f"model {raw.get('id')!r}: `forced_tool_choice` must be one of "
            f"{list(FORCED_TOOL_CHOICE)}, got {raw['forced_tool_choice']!r}",
            file=source,
        )
    values = dict(raw)
    values["aliases"] = tuple(values.get("aliases") or ())
    values["thinking"] = frozenset(values.get("thinking") or ())
    values["capabilities"] = dict(values.get("capabilities") or {})
    for key in ("created_at", "deprecated_at", "retires_at"):
        if values.get(key) is not None:
            values[key] = str(values[key])
    model = Model(**values)
    try:
        # Served by GET /v1/models: a bad date or capability is a load error, not a 500.
        model_info(model)
    except ValueError as exc:
        raise FixtureError(f"model {model.id!r}: {exc}", file=source) from None
    return model
