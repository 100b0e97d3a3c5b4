"""The Redis stores in process, against a real ``redis-server``: each behaves as its memory
twin (same tables as tests/test_session_store.py), and what Redis adds (atomic claims,
idle expiry by a clock, capacity) holds. Each call runs under the bridge, as the web edge
runs it. Skipped without Debian's ``redis-server``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from messages_sandbox.errors import ApiError, RateLimitError, StateUnavailableError
from messages_sandbox.fixtures.loader import FixtureSet
from messages_sandbox.fixtures.runtime import compile_runtime
from messages_sandbox.journal import record
from messages_sandbox.ratelimits import Limits
from messages_sandbox.sessions import FILE, GLOBAL, SESSION, DuplicateRule, SessionSettings
from messages_sandbox.settings import Settings
from messages_sandbox.state.bridge import await_only, run_bridged
from messages_sandbox.state.connection import Connection, shown_url
from messages_sandbox.state.redis_journal import RedisJournal
from messages_sandbox.state.redis_sessions import RedisSessions
from messages_sandbox.state.redis_small import RedisCacheEntries, RedisRateLimiter
from messages_sandbox.state.redis_threads import RedisThreads
from messages_sandbox.web.routes.admin.config import effective_settings
from tests.test_scale import REDIS, Redis

pytestmark = pytest.mark.skipif(
    REDIS is None, reason="redis-server is not installed (apt-get install -y redis-server)"
)
KEY = (FILE, "story")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Bridged:
    """``target``'s methods called as the web edge calls them: under the bridge, on a loop."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.target = target
        self.loop = loop

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.target, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.loop.run_until_complete(run_bridged(lambda: attr(*args, **kwargs)))

        return call


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    server = Redis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def connect(redis: Redis, loop: asyncio.AbstractEventLoop) -> Iterator[Callable[[], Connection]]:
    """A connection under a prefix of its own (tests never see each other's keys)."""
    prefix = "t" + uuid.uuid4().hex[:8]
    made: list[Connection] = []

    def connection() -> Connection:
        made.append(Connection(redis.url, prefix))
        return made[-1]

    yield connection
    for c in made:
        loop.run_until_complete(c.aclose())


def runtime_rules(*ids: str) -> tuple[Any, tuple[str, bool]]:
    doc = {"rules": [{"id": i, "reply": {"text": i}} for i in ids]}
    fixtures = FixtureSet(root=Path("."))
    text = orjson.dumps(doc).decode()
    rules = compile_runtime(text, doc, fixtures=fixtures, taken={}, chunk_size=16)
    return rules, (text, True)


def compile_source(text: str, is_json: bool) -> Any:
    data = orjson.loads(text) if is_json else None
    return compile_runtime(text, data, fixtures=FixtureSet(root=Path(".")), taken={}, chunk_size=16)


def sessions(connect: Callable[[], Connection], loop: Any, **kwargs: Any) -> Any:
    return Bridged(RedisSessions(connect(), compile_source, **kwargs), loop)


def test_counters_are_per_session_and_the_root_scope_is_apart(connect, loop) -> None:
    store = sessions(connect, loop)
    assert [store.advance("a", KEY, 3, "stop") for _ in range(4)] == [0, 1, 2, None]
    assert store.advance("b", KEY, 3, "stop") == 0
    assert store.advance(None, KEY, 3, "stop") == 0
    assert [store.advance("c", KEY, 2, "cycle") for _ in range(3)] == [0, 1, 0]
    assert [store.advance("d", KEY, 2, "repeat_last") for _ in range(3)] == [0, 1, 1]
    store.reset("a")
    assert store.advance("a", KEY, 3, "stop") == 0
    assert store.advance("b", KEY, 3, "stop") == 1


def test_two_processes_claim_each_step_once(connect, loop) -> None:
    """Two stores (two processes) on one Redis, requests interleaved on the loop."""
    one = RedisSessions(connect(), compile_source)
    two = RedisSessions(connect(), compile_source)

    async def race() -> list[int | None]:
        calls = [
            run_bridged(store.advance, "s", KEY, 50, "stop")
            for _ in range(30)
            for store in (one, two)
        ]
        return list(await asyncio.gather(*calls))

    steps = loop.run_until_complete(race())
    assert sorted(s for s in steps if s is not None) == list(range(50)) and steps.count(None) == 10


def test_a_claimed_step_can_count_as_the_rules_hit_in_the_same_operation(connect, loop) -> None:
    store = sessions(connect, loop)
    assert [store.advance("a", KEY, 2, "stop", hit=True) for _ in range(3)] == [0, 1, None]
    assert store.hits("a")[KEY].count == 2 and store.hits(None)[KEY].count == 2
    store.advance("a", (SESSION, "own"), 2, "stop", hit=True)
    assert store.hits("a")[(SESSION, "own")].count == 1 and (SESSION, "own") not in store.hits(None)


def test_hits_per_session_and_server_wide(connect, loop) -> None:
    store = sessions(connect, loop)
    store.record_hit("a", KEY)
    store.record_hit("a", KEY)
    store.record_hit(None, KEY)
    store.record_hit("b", (SESSION, "mine"))
    assert store.hits("a")[KEY].count == 2
    assert store.hits(None)[KEY].count == 3
    assert (SESSION, "mine") not in store.hits(None)
    store.reset("a")
    assert store.hits("a") == {} and store.hits(None)[KEY].count == 3
    store.reset(None)
    assert store.hits(None) == {} and store.hits("b") == {}


def test_runtime_rules_are_tried_session_first_then_global(connect, loop) -> None:
    store = sessions(connect, loop)
    store.add_rules("a", *runtime_rules("greet"))
    store.add_rules(None, *runtime_rules("everyone"))
    assert [origin for origin, _ in store.view("a").sets] == [SESSION, GLOBAL]
    assert [origin for origin, _ in store.view("b").sets] == [GLOBAL]
    assert [origin for origin, _ in store.view(None).sets] == [GLOBAL]
    with pytest.raises(DuplicateRule):
        store.add_rules("a", *runtime_rules("greet"))
    store.add_rules("b", *runtime_rules("greet"))
    # Another process compiles what this one added, once per generation.
    other = sessions(connect, loop)
    assert [r.id for r in other.rules("a").rules] == ["greet"]
    assert other.remove_rule("a", "greet") and not store.remove_rule("a", "greet")
    assert [origin for origin, _ in store.view("a").sets] == [GLOBAL]
    listed = {owner: [r.id for r in rules.rules] for owner, rules, _ in store.all_rules()}
    assert listed == {None: ["everyone"], "b": ["greet"]}
    store.reset(None)
    assert store.view(None).sets == () and store.view("b").sets == ()


def test_an_idle_session_is_forgotten_and_capacity_holds(connect, loop) -> None:
    clock = Clock()
    store = sessions(connect, loop, idle=60, capacity=3, clock=clock)
    store.advance("idle", KEY, 3, "stop")
    store.advance("busy", KEY, 3, "stop")
    for _ in range(3):
        clock.now += 30
        store.view("busy")
    assert [s.name for s in store.sessions()] == ["busy"]
    store.configure("busy", SessionSettings(strict=True))
    assert store.settings("busy").strict is True and store.view("busy").settings.strict is True
    for name in ("x", "y", "z"):
        clock.now += 1
        store.advance(name, KEY, 3, "stop")
    assert [s.name for s in store.sessions()] == ["z", "y", "x"]  # busy was the oldest


def test_the_journal_is_capped_listed_found_and_cleared_by_session(connect, loop) -> None:
    journal = Bridged(RedisJournal(connect(), size=3), loop)
    for i in range(5):
        headers = [(b"x-sandbox-session", b"s1" if i % 2 else b"s2")]
        entry = record(
            0.0, "POST", "/v1/messages", b"", headers, b"{}", 200, b"", {}, None, f"req_{i}"
        )
        loop.run_until_complete(journal.target.add_async(entry))
    assert [v["id"] for v in journal.views()] == ["req_4", "req_3", "req_2"]
    assert journal.get("req_3")["session"] == "s1" and journal.get("req_0") is None
    assert journal.clear("s2") == 2 and [v["id"] for v in journal.views()] == ["req_3"]
    assert journal.clear() == 1 and journal.views() == []


def test_a_thread_reply_is_continued_once_across_processes(connect, loop) -> None:
    one = Bridged(RedisThreads(connect()), loop)
    two = Bridged(RedisThreads(connect()), loop)
    create = {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "thread": {"type": "create"},
        "system": "terse",
    }
    turn = one.begin(create, "key")
    one.end(turn, {"id": "msg_1", "content": [{"type": "text", "text": "hello"}]})
    follow = {
        "model": "m",
        "messages": [{"role": "user", "content": "again"}],
        "thread": {"type": "continue", "previous_message_id": "msg_1"},
    }
    turn = two.begin(follow, "key")
    assert turn.request["system"] == "terse" and len(turn.request["messages"]) == 3
    with pytest.raises(ApiError) as busy:
        one.begin(follow, "key")
    assert busy.value.details == {"error_code": "thread_continue_in_flight"}
    two.abandon(turn)  # the continue failed: the reply may be continued again
    turn = one.begin(follow, "key")
    one.end(turn, {"id": "msg_2", "content": []})
    with pytest.raises(ApiError) as done:
        two.begin(follow, "key")
    assert done.value.details == {"error_code": "thread_already_continued"}
    with pytest.raises(ApiError) as other_key:
        two.begin({**follow, "thread": {"type": "continue", "previous_message_id": "msg_2"}}, "k2")
    assert other_key.value.status_code == 404


def test_rate_limit_windows_refuse_with_the_wait_that_is_right(connect, loop) -> None:
    clock = Clock()
    limiter = Bridged(
        RedisRateLimiter(connect(), window=60, clock=clock, organization_id="org"), loop
    )
    limits = Limits(requests=2, input_tokens=100, output_tokens=1000)
    first = limiter.admit("key", limits, input_tokens=10, model="m")
    limiter.record_output(first, 7)
    clock.now += 10
    limiter.admit("key", limits, input_tokens=10, model="m")
    with pytest.raises(RateLimitError) as refused:
        limiter.admit("key", limits, input_tokens=10, model="m")
    assert refused.value.headers["retry-after"] == "50"
    rows = dict(limiter.headers("key", limits))
    assert rows[b"anthropic-ratelimit-requests-remaining"] == b"0"
    assert rows[b"anthropic-ratelimit-input-tokens-remaining"] == b"80"
    assert rows[b"anthropic-ratelimit-output-tokens-remaining"] == b"993"
    clock.now += 51  # the first use left the window
    limiter.admit("key", limits, input_tokens=10, model="m")


def test_prompt_cache_entries_are_live_until_their_ttl(connect, loop) -> None:
    entries = Bridged(RedisCacheEntries(connect()), loop)
    entries.put([(b"a", 300.0), (b"b", 3600.0)], 0.0)
    assert entries.live([b"a", b"b", b"c"], 0.0) == {b"a": 300.0, b"b": 3600.0}


def test_a_redis_that_does_not_answer_is_a_503_and_the_url_hides_its_password(
    loop: asyncio.AbstractEventLoop,
) -> None:
    from tests.conftest import free_port

    down = Connection(f"redis://127.0.0.1:{free_port()}/0", "x")

    def read() -> Any:
        return down.run(down.client.get("k"))

    with pytest.raises(StateUnavailableError) as failed:
        loop.run_until_complete(run_bridged(read))
    assert failed.value.status_code == 503 and failed.value.headers["x-should-retry"] == "true"
    loop.run_until_complete(down.aclose())
    assert shown_url("redis://user:secret@host:6379/0") == "redis://user:***@host:6379/0"
    shown = effective_settings(Settings(state_url="redis://:secret@host:6379/0"))
    assert shown["state_url"] == "redis://:***@host:6379/0"
    with pytest.raises(RuntimeError, match="run_bridged"):
        await_only(asyncio.sleep(0))
