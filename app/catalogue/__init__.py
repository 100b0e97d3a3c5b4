"""The model catalogue: ids, aliases, limits and per-model switches (``loader`` reads them
from YAML, ``format`` is the file format, ``model_info`` the ``GET /v1/models`` shape).

Request validation and ``GET /v1/models`` read the same ``Catalogue``, so a limit the
models endpoint advertises is the limit the Messages endpoint enforces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .model_info import capabilities

CATALOGUE_FILE = "models.yaml"


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
    usable: Mapping[str, Model] = field(init=False, repr=False, compare=False)
    """The models a request may name (not retired), by id and alias: resolving a request's
    model is one lookup, not a ``get`` and a ``retired`` call (~1,300 instructions a
    request, callgrind)."""

    def __post_init__(self) -> None:
        usable = {name: m for name, m in self._by_name.items() if not m.retired}
        object.__setattr__(self, "usable", usable)  # frozen: set once, here

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
        n = len(self.models)
        return f"{n} model{'' if n == 1 else 's'} from {' + '.join(self.sources) or 'nowhere'}"

    def get(self, name: str) -> Model | None:
        """The model a request names (id or alias), or None when unknown."""
        return self._by_name.get(name)

    def newest_first(self, *, include_retired: bool = False) -> list[Model]:
        return sorted(
            (m for m in self.models if include_retired or not m.retired),
            key=lambda m: (m.created_at, m.id),
            reverse=True,
        )
