"""What the responder (default or fixture rule) decided to answer, before it is built.

A ``Reply`` is a plain description: content blocks (ids, signatures and generated tool
inputs may be left for the builder to fill in), an optional stop reason and overrides.
``build.build_message`` turns it into the one ``Message`` that is rendered as JSON or SSE.
Its content blocks become the Message's, filled in place: a Reply is made for one request
and built once (the responder makes new blocks, playback copies a fixture's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Reply:
    content: list[dict[str, Any]]
    stop_reason: str | None = None
    """None: inferred (``tool_use`` when a tool is called, else ``end_turn``)."""
    stop_sequence: str | None = None
    stop_details: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    """Overrides merged over the computed usage (None: none; cheaper than an empty dict)."""
    model: str | None = None
    """Overrides the echoed model id."""
    container: dict[str, Any] | None = None
    apply_limits: bool = True
    """Apply ``max_tokens`` / ``stop_sequences`` to the content (fixtures may pin exact output)."""
