"""Play counts: how many times each fixture rule answered, and when it last did.

Kept by rule id beside the script counters (``Playback``), not derived from the journal, so
the counts stay whole when the journal is small, disabled or rotated. Deliberate choice: like
script counters they survive a hot reload (a rule keeps its id and its count); ``reset``
(``POST /_sandbox/reset``) zeroes them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    count: int
    last: float
    """Unix time of the latest answer."""


class RuleHits:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        # As in ``ScriptState``: safe should a route ever play rules from a worker thread.
        self._lock = threading.Lock()
        self._hits: dict[str, Hit] = {}

    def record(self, rule_id: str) -> None:
        now = self._clock()
        with self._lock:
            hit = self._hits.get(rule_id)
            self._hits[rule_id] = Hit(hit.count + 1 if hit else 1, now)

    def get(self, rule_id: str) -> Hit | None:
        return self._hits.get(rule_id)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
