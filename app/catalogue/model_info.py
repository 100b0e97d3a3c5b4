"""``ModelInfo`` as ``GET /v1/models`` serves it, derived from a catalogue ``Model``.

Capabilities: every key the SDK's ``ModelCapabilities`` lists is always present. The
thinking types come from the model's ``thinking`` switch (the one request validation
enforces), so the two cannot disagree; everything else defaults to supported and can be
overridden per model in ``models.yaml`` under ``capabilities:``, either leaf by leaf
(``effort: {xhigh: {supported: true}}``) or with a bool for a whole group
(``effort: false`` turns ``effort.supported`` and all its levels off).

Deliberate choice: which capabilities each real model has is only partly public; the
defaults favour "supported" so a capability picker shows everything the sandbox answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Model

THINKING_TYPES = ("adaptive", "between_tools", "disabled", "enabled")

_YES = {"supported": True}  # shared below: `capabilities` copies with ``_fresh``, not deepcopy
_DEFAULTS: dict[str, Any] = {
    "batch": _YES,
    "citations": _YES,
    "code_execution": _YES,
    "context_management": {
        "supported": True,
        "clear_thinking_20251015": _YES,
        "clear_tool_uses_20250919": _YES,
        "compact_20260112": _YES,
    },
    "effort": {
        "supported": True,
        "low": _YES,
        "medium": _YES,
        "high": _YES,
        "max": _YES,
        "xhigh": {"supported": False},
    },
    "image_input": _YES,
    "pdf_input": _YES,
    "server_tools": {"supported": True, "code_execution": _YES, "web_search": _YES},
    "structured_outputs": _YES,
}


def capabilities(model: Model) -> dict[str, Any]:
    """The full capabilities object; raises ``ValueError`` naming a bad override."""
    caps = _fresh(_DEFAULTS)
    caps["thinking"] = {
        "supported": bool(model.thinking & {"enabled", "adaptive"}),
        "types": {t: {"supported": t in model.thinking} for t in THINKING_TYPES},
    }
    _merge(caps, model.capabilities, "capabilities")
    return caps


def _fresh(node: dict[str, Any]) -> dict[str, Any]:
    """A copy with no dict shared between two places (``deepcopy`` keeps ``_YES`` shared, so
    turning one leaf off would turn off every leaf that is ``_YES``)."""
    return {k: _fresh(v) if isinstance(v, dict) else v for k, v in node.items()}


def _merge(into: dict[str, Any], overrides: Mapping[str, Any], where: str) -> None:
    for key, value in overrides.items():
        path = f"{where}.{key}"
        if key not in into:
            raise ValueError(f"{path}: unknown capability; known: {sorted(into)}")
        current = into[key]
        if isinstance(current, dict) and isinstance(value, bool):
            _set_all(current, value)
        elif isinstance(current, dict) and isinstance(value, Mapping):
            _merge(current, value, path)
        elif isinstance(current, bool) and isinstance(value, bool):
            into[key] = value
        else:
            raise ValueError(f"{path}: expected a bool or a mapping, got {value!r}")


def _set_all(node: dict[str, Any], value: bool) -> None:
    for key, item in node.items():
        if isinstance(item, dict):
            _set_all(item, value)
        elif key == "supported":
            node[key] = value


def model_info(model: Model) -> dict[str, Any]:
    return {
        "type": "model",
        "id": model.id,
        "display_name": model.display_name,
        "created_at": rfc3339(model.created_at),
        "capabilities": capabilities(model),
        "lifecycle": model.lifecycle,
        "deprecated_at": rfc3339(model.deprecated_at) if model.deprecated_at else None,
        "retires_at": rfc3339(model.retires_at) if model.retires_at else None,
        "line": model.line,
        "max_input_tokens": model.max_input_tokens,
        "max_tokens": model.max_tokens,
    }


def rfc3339(value: str | date | datetime) -> str:
    """``2026-11-12T00:00:00Z`` from whatever YAML gave (a string, a date, a datetime)."""
    if isinstance(value, str):
        parsed: date | datetime = datetime.fromisoformat(value.replace(" ", "T", 1))
    else:
        parsed = value
    if not isinstance(parsed, datetime):
        parsed = datetime(parsed.year, parsed.month, parsed.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
