"""Sessions: the state one test keeps apart from every other test on the same server.

A request belongs to session S when its URL starts with ``/session/S`` (``web.session_path``
moves that into the ``x-sandbox-session`` header at the edge) or when it sends
``x-sandbox-session: S``. A session owns:

* its script counters (``advance: session`` scripts),
* its rule hit counts (``GET /_sandbox/rules?session=S``),
* its runtime rules (``POST /_sandbox/rules?session=S``), tried before every other rule,
* its settings (``strict``).

A request outside any session uses the *root* scope (the ``global`` session of the response
headers and templates): its counters, and the runtime rules added without a session, which
every request tries after its own session's. Hit counts are also kept server-wide, for the
whole-server view of ``GET /_sandbox/rules``.

``SessionStore`` is the one interface the pipeline and the admin routes use; ``MemorySessions``
keeps it in this process, ``state.redis_sessions.RedisSessions`` in Redis (``SANDBOX_STATE_URL``)
for every worker and replica. Its operations are whole (advance a counter, record a hit, add
rules), so each is one round trip there; the Redis store keeps each runtime rules document
as posted and each process compiles it once.

Deliberate choices:
* sessions are cheap and bounded: one is made the first time something is stored for it (a
  script step, a hit, a rule, a setting), not for every request that names one; a session no
  request or admin call named for ``idle`` seconds is forgotten (counters, hits, rules,
  settings); and at most ``capacity`` are kept, the least recently used forgotten first. Both
  are checked whenever a session is used, in constant time (an ordered dict by last use);
* forgetting a session does not touch the journal: its entries age out with the journal;
* message threads and rate-limit windows are not per session: thread ids are unique anyway,
  and rate limits model an API key's account (a test wanting its own window uses its own key).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from .fixtures.loader import Rule
from .fixtures.matching import Index
from .fixtures.runtime import EMPTY, RuleSet
from .fixtures.scripts import step_index

FILE = "file"
"""Origin of a rule read from the fixtures directory."""
GLOBAL = "global"
"""Origin of a rule added at run time without a session (every request tries it)."""
SESSION = "session"
"""Origin of a rule added at run time to the request's own session."""

RuleKey = tuple[str, str]
"""(origin, rule id): a runtime rule may share its id with a file rule."""
RuleSource = tuple[str, bool]
"""A posted rules document: (its text, whether it is JSON; else YAML)."""


@dataclass(frozen=True)
class Hit:
    count: int
    last: float
    """Unix time of the latest answer."""


@dataclass(frozen=True)
class SessionSettings:
    strict: bool | None = None
    """None: the server's strict mode applies."""


NO_SETTINGS = SessionSettings()


@dataclass(frozen=True)
class SessionView:
    """What a request reads of its session, once: the runtime rule sets it tries before the
    files', in order, and its settings."""

    sets: tuple[tuple[str, Index], ...] = ()
    """(origin, index) of each non-empty runtime rule set, in the order they are tried."""
    settings: SessionSettings = NO_SETTINGS


@dataclass(frozen=True)
class SessionInfo:
    """One live session, for ``GET /_sandbox/sessions``."""

    name: str
    last_used: float
    expires_at: float
    rules: int
    settings: SessionSettings


class SessionStore(Protocol):
    """Session-scoped state. ``session`` None is the root scope (outside any session)."""

    idle: float
    capacity: int

    def view(self, session: str | None) -> SessionView:
        """What a request in ``session`` tries first; marks the session used."""
        ...

    def advance(
        self, session: str | None, key: RuleKey, steps: int, after: str, *, hit: bool = False
    ) -> int | None:
        """Claim the next step of a script (None: it is over, nothing claimed); with
        ``hit``, a claimed step is also the rule's hit (one operation, one round trip)."""
        ...

    def record_hit(self, session: str | None, key: RuleKey) -> None: ...

    def hits(self, session: str | None) -> Mapping[RuleKey, Hit]:
        """A session's hit counts; None: server-wide (every session and none)."""
        ...

    def rules(self, session: str | None) -> RuleSet:
        """A session's runtime rules; None: those added without a session."""
        ...

    def all_rules(self) -> list[tuple[str | None, RuleSet, Mapping[RuleKey, Hit]]]:
        """Every scope's runtime rules with its hits (global first, with the server-wide
        hits), for the whole-server listing; marks no session used."""
        ...

    def add_rules(
        self, session: str | None, rules: Iterable[Rule], source: RuleSource | None = None
    ) -> RuleSet:
        """Raises ``DuplicateRule`` (nothing added) when an id is taken in that scope.
        ``source``: the document ``rules`` were compiled from, which a shared store keeps
        (every other process compiles it once)."""
        ...

    def remove_rule(self, session: str | None, rule_id: str) -> bool: ...

    def configure(self, session: str, settings: SessionSettings) -> SessionSettings: ...

    def settings(self, session: str) -> SessionSettings: ...

    def reset(self, session: str | None) -> None:
        """Forget ``session`` whole; None: every session, the root scope and the hits."""
        ...

    def sessions(self) -> list[SessionInfo]: ...


class DuplicateRule(ValueError):
    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id


@dataclass
class _State:
    last_used: float
    counters: dict[RuleKey, int] = field(default_factory=dict)
    hits: dict[RuleKey, Hit] = field(default_factory=dict)
    """Named sessions only: the root scope's hits are the server-wide totals."""
    rules: RuleSet = EMPTY
    settings: SessionSettings = NO_SETTINGS
    view: SessionView | None = None
    """What ``view`` answers, made when first asked after a change (None: to be made)."""
    view_shared: RuleSet | None = None
    """The global rules ``view`` was made with (a change there makes it anew)."""


class MemorySessions:
    """``SessionStore`` in this process's memory."""

    def __init__(
        self,
        *,
        idle: float = 3600.0,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.idle = idle
        self.capacity = max(capacity, 1)
        self.clock = clock
        # Playback may run from a worker thread (a large batch); every change holds the lock.
        self._lock = threading.Lock()
        self._root = _State(0.0)
        self._live: OrderedDict[str, _State] = OrderedDict()
        """Named sessions, least recently used first."""
        self._totals: dict[RuleKey, Hit] = {}
        self._root_view = SessionView()

    # -- what a request reads ------------------------------------------------------------
    def view(self, session: str | None) -> SessionView:
        if session is None:
            return self._root_view  # the usual request: no lock, nothing to look up
        with self._lock:
            state = self._used(session, create=False)
            if state is None or (not state.rules and state.settings is NO_SETTINGS):
                return self._root_view  # nothing of its own: what every request tries
            shared = self._root.rules
            view = state.view
            if view is None or state.view_shared is not shared:
                # Made once per change of the session's rules or settings or the global rules.
                own = state.rules
                sets = tuple((o, s.index) for o, s in ((SESSION, own), (GLOBAL, shared)) if s)
                view = state.view = SessionView(sets, state.settings)
                state.view_shared = shared
            return view

    def advance(
        self, session: str | None, key: RuleKey, steps: int, after: str, *, hit: bool = False
    ) -> int | None:
        now = self.clock() if hit else 0.0
        with self._lock:
            counters = self._state(session).counters
            position = counters.get(key, 0)
            index = step_index(position, steps, after)
            if index is not None:
                counters[key] = position + 1
                if hit:
                    self._hit(session, key, now)
            return index

    def record_hit(self, session: str | None, key: RuleKey) -> None:
        now = self.clock()
        with self._lock:
            self._hit(session, key, now)

    def _hit(self, session: str | None, key: RuleKey, now: float) -> None:
        if session is not None:
            _count(self._state(session).hits, key, now)
        if key[0] != SESSION:  # a session's own rules are counted in that session only
            _count(self._totals, key, now)

    # -- what the admin routes read and change ----------------------------------------------
    def hits(self, session: str | None) -> Mapping[RuleKey, Hit]:
        with self._lock:
            if session is None:
                return dict(self._totals)
            state = self._used(session, create=False)
            return dict(state.hits) if state is not None else {}

    def rules(self, session: str | None) -> RuleSet:
        with self._lock:
            if session is None:
                return self._root.rules
            state = self._used(session, create=False)
            return state.rules if state is not None else EMPTY

    def all_rules(self) -> list[tuple[str | None, RuleSet, Mapping[RuleKey, Hit]]]:
        with self._lock:
            self._expire(self.clock())
            found: list[tuple[str | None, RuleSet, Mapping[RuleKey, Hit]]] = [
                (None, self._root.rules, dict(self._totals))
            ]
            found += [(name, s.rules, dict(s.hits)) for name, s in self._live.items() if s.rules]
            return found

    def add_rules(
        self, session: str | None, rules: Iterable[Rule], source: RuleSource | None = None
    ) -> RuleSet:
        rules = list(rules)
        with self._lock:
            state = self._state(session)
            taken = state.rules.ids()
            for rule in rules:
                if rule.id in taken:
                    raise DuplicateRule(rule.id)
            state.rules = state.rules.added(rules)
            state.view = None
            if session is None:
                self._root_view = _root_view(state.rules)
            return state.rules

    def remove_rule(self, session: str | None, rule_id: str) -> bool:
        with self._lock:
            state = self._root if session is None else self._used(session, create=False)
            if state is None or rule_id not in state.rules.ids():
                return False
            state.rules = state.rules.without(rule_id)
            state.view = None
            if session is None:
                self._root_view = _root_view(state.rules)
            return True

    def configure(self, session: str, settings: SessionSettings) -> SessionSettings:
        with self._lock:
            state = self._state(session)
            state.settings = settings
            state.view = None
            return settings

    def settings(self, session: str) -> SessionSettings:
        with self._lock:
            state = self._used(session, create=False)
            return state.settings if state is not None else NO_SETTINGS

    def reset(self, session: str | None) -> None:
        with self._lock:
            if session is not None:
                self._live.pop(session, None)
                return
            self._live.clear()
            self._root = _State(0.0)
            self._totals.clear()
            self._root_view = SessionView()

    def sessions(self) -> list[SessionInfo]:
        with self._lock:
            self._expire(self.clock())
            return [
                SessionInfo(
                    name, s.last_used, s.last_used + self.idle, len(s.rules.rules), s.settings
                )
                for name, s in reversed(self._live.items())
            ]

    def __len__(self) -> int:
        return len(self._live)

    # -- bookkeeping (the lock is held) ----------------------------------------------------
    def _state(self, session: str | None) -> _State:
        if session is None:
            return self._root
        state = self._used(session, create=True)
        assert state is not None
        return state

    def _used(self, session: str, *, create: bool) -> _State | None:
        """The live state of ``session``, marked used now (made when ``create``)."""
        now = self.clock()
        self._expire(now)
        live = self._live
        state = live.get(session)
        if state is not None:
            state.last_used = now
            live.move_to_end(session)
        elif create:
            state = live[session] = _State(now)
            while len(live) > self.capacity:
                live.popitem(last=False)
        return state

    def _expire(self, now: float) -> None:
        """Forget the sessions idle too long: they are at the front, so this stops at the
        first one still in use (constant time per call, amortised)."""
        live = self._live
        deadline = now - self.idle
        while live:
            oldest = next(iter(live.values()))
            if oldest.last_used > deadline:
                return
            live.popitem(last=False)


def _root_view(rules: RuleSet) -> SessionView:
    return SessionView(((GLOBAL, rules.index),) if rules else ())


def _count(hits: dict[RuleKey, Hit], key: RuleKey, now: float) -> None:
    hit = hits.get(key)
    hits[key] = Hit(hit.count + 1 if hit else 1, now)
