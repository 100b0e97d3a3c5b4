"""Scripts: which step of a rule's ``script:`` answers this call.

Two ways to advance. ``turn`` is stateless: the step is the number of assistant turns in
the request, so any number of clients and parallel CI jobs can share one server. ``session``
counts calls per (rule, session), where the session is named by the ``x-sandbox-session``
request header (``global`` when absent). Past the last step: ``repeat_last``, ``cycle`` or
``stop`` (the rule stops matching and the next rule or the default responder answers).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from .headers import SESSION_HEADER

DEFAULT_SESSION = "global"


def session_of(headers: Mapping[str, str]) -> str:
    return headers.get(SESSION_HEADER, "").strip() or DEFAULT_SESSION


def step_index(position: int, steps: int, after: str) -> int | None:
    """The step for the ``position``-th call (0-based), or None when the script is over."""
    if position < steps:
        return position
    if after == "repeat_last":
        return steps - 1
    if after == "cycle":
        return position % steps
    return None


class ScriptState:
    """Per-session call counters for ``advance: session`` scripts.

    Deliberate choice: counters survive a fixture reload (an unrelated edit must not restart
    a conversation a CI job is in the middle of); a fresh session name starts from step 0.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], int] = {}

    def advance(self, rule_id: str, session: str, steps: int, after: str) -> int | None:
        """Claim the next step of ``rule_id`` in ``session`` (None: over, nothing claimed)."""
        key = (rule_id, session)
        with self._lock:
            position = self._calls.get(key, 0)
            index = step_index(position, steps, after)
            if index is not None:
                self._calls[key] = position + 1
            return index

    def reset(self) -> None:
        """Every session starts over (``POST /_sandbox/reset``)."""
        with self._lock:
            self._calls.clear()

    def peek(self, rule_id: str, session: str) -> int:
        with self._lock:
            return self._calls.get((rule_id, session), 0)
