"""The session store in process: what a session owns, how sessions expire, and that many
short-lived sessions never grow it without bound (a clock the test moves)."""

from __future__ import annotations

from pathlib import Path

import pytest

from messages_sandbox.fixtures.loader import FixtureSet
from messages_sandbox.fixtures.runtime import compile_runtime
from messages_sandbox.sessions import FILE, GLOBAL, SESSION, DuplicateRule, MemorySessions

KEY = (FILE, "story")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def runtime_rules(*ids: str):
    doc = {"rules": [{"id": i, "reply": {"text": i}} for i in ids]}
    fixtures = FixtureSet(root=Path("."))
    return compile_runtime("", doc, fixtures=fixtures, taken={}, chunk_size=16)


def test_counters_are_per_session_and_the_root_scope_is_apart() -> None:
    store = MemorySessions()
    assert [store.advance("a", KEY, 3, "stop") for _ in range(4)] == [0, 1, 2, None]
    assert store.advance("b", KEY, 3, "stop") == 0
    assert store.advance(None, KEY, 3, "stop") == 0
    store.reset("a")
    assert store.advance("a", KEY, 3, "stop") == 0
    assert store.advance("b", KEY, 3, "stop") == 1


def test_a_claimed_step_can_count_as_the_rules_hit_in_the_same_operation() -> None:
    store = MemorySessions()
    assert [store.advance("a", KEY, 2, "stop", hit=True) for _ in range(3)] == [0, 1, None]
    assert store.hits("a")[KEY].count == 2 and store.hits(None)[KEY].count == 2
    store.advance("a", (SESSION, "own"), 2, "stop", hit=True)
    assert store.hits("a")[(SESSION, "own")].count == 1 and (SESSION, "own") not in store.hits(None)


def test_hits_per_session_and_server_wide() -> None:
    store = MemorySessions()
    store.record_hit("a", KEY)
    store.record_hit("a", KEY)
    store.record_hit(None, KEY)
    store.record_hit("b", (SESSION, "mine"))
    assert store.hits("a")[KEY].count == 2
    assert store.hits(None)[KEY].count == 3  # every session's plays, and the unscoped one
    assert (SESSION, "mine") not in store.hits(None)  # a session's own rule: its own count
    store.reset("a")
    assert store.hits("a") == {} and store.hits(None)[KEY].count == 3
    store.reset(None)
    assert store.hits(None) == {} and store.hits("b") == {}


def test_runtime_rules_are_tried_session_first_then_global() -> None:
    store = MemorySessions()
    store.add_rules("a", runtime_rules("greet"))
    store.add_rules(None, runtime_rules("everyone"))
    origins = [origin for origin, _ in store.view("a").sets]
    assert origins == [SESSION, GLOBAL]
    assert [origin for origin, _ in store.view("b").sets] == [GLOBAL]
    assert [origin for origin, _ in store.view(None).sets] == [GLOBAL]
    with pytest.raises(DuplicateRule):
        store.add_rules("a", runtime_rules("greet"))
    store.add_rules("b", runtime_rules("greet"))  # the same id in another session
    assert store.remove_rule("a", "greet") and not store.remove_rule("a", "greet")
    store.reset(None)
    assert store.view(None).sets == () and store.view("b").sets == ()


def test_an_idle_session_is_forgotten_and_a_used_one_kept() -> None:
    clock = Clock()
    store = MemorySessions(idle=60, clock=clock)
    store.advance("idle", KEY, 3, "stop")
    store.advance("busy", KEY, 3, "stop")
    for _ in range(3):
        clock.now += 30
        store.view("busy")  # every request of a session counts as use
    assert [s.name for s in store.sessions()] == ["busy"]
    assert store.advance("idle", KEY, 3, "stop") == 0  # starts over
    assert store.advance("busy", KEY, 3, "stop") == 1


def test_thousands_of_short_lived_sessions_stay_within_the_capacity() -> None:
    clock = Clock()
    store = MemorySessions(idle=3600, capacity=500, clock=clock)
    for n in range(5_000):
        store.advance(f"s{n}", KEY, 2, "stop")
        store.record_hit(f"s{n}", KEY)
        clock.now += 0.01
    assert len(store) == 500
    # The least recently used went first; the newest are whole.
    assert store.advance("s4999", KEY, 2, "stop") == 1
    assert store.advance("s0", KEY, 2, "stop") == 0
    assert store.hits(None)[KEY].count == 5_000


def test_naming_a_session_stores_nothing_until_something_is_kept() -> None:
    store = MemorySessions()
    for n in range(1_000):
        store.view(f"just-asking-{n}")
    assert len(store) == 0
