"""Request shapes that older official SDKs still send and the current schema no longer lists.

Each is rewritten to today's shape before validation, so rules, fixtures and the builder see
one shape only. Found by ``tests/compat`` (a field-by-field diff of the request types of
anthropic 0.39 / 0.75 / 1.17 against the pinned SDK); ``temperature``/``top_p``/``top_k`` are
not here, since the schema keeps them and the rules judge them per model.

- ``output_format`` (beta ``structured-outputs-2025-11-13``): anthropic 0.7x sends it
  top-level from ``beta.messages.create/stream/parse/count_tokens``; since 1.x the SDK moves
  it to ``output_config.format`` itself. Deliberate choice: accepted on the beta surface only
  (it never was a GA field), and refused when ``output_config.format`` is given too, with the
  SDK's own wording for that conflict (the real API's is not public).
"""

from __future__ import annotations

from typing import Any

__all__ = ["LegacyConflict", "upgrade_beta"]


class LegacyConflict(ValueError):
    """A legacy field clashes with its current form; the validators report it as a 400."""


_BOTH_FORMATS = (
    "Both output_format and output_config.format were provided. "
    "Please use only output_config.format (output_format is deprecated)."
)


def upgrade_beta(obj: object) -> object:
    """``obj`` with legacy beta fields moved to their current place (a copy when changed)."""
    if not isinstance(obj, dict) or "output_format" not in obj:
        return obj
    upgraded: dict[str, Any] = dict(obj)
    legacy = upgraded.pop("output_format")
    if legacy is None:
        return upgraded
    config = upgraded.get("output_config")
    if config is None:
        upgraded["output_config"] = {"format": legacy}
    elif isinstance(config, dict):
        if config.get("format") is not None:
            raise LegacyConflict(_BOTH_FORMATS)
        upgraded["output_config"] = {**config, "format": legacy}
    # else: a malformed output_config, which the schema reports
    return upgraded
