"""``SessionStore`` in Redis: every worker and replica sees the same sessions.

Keys (``P`` is ``SANDBOX_STATE_PREFIX``; the root scope, outside any session, is ``root``):

    P:s:<name>  hash    counters ``c:<origin>:<rule>``, hits ``h:…`` and last hit ``t:…``,
                        taken rule ids ``r:<id>``, ``n`` rules, ``g`` rules generation,
                        ``strict``; expires after ``SANDBOX_SESSION_IDLE`` without use
    P:r:<name>  list    the runtime rules documents as posted, and removals, in order
    P:sessions  zset    live session -> last use (listing, idle expiry, capacity)
    P:totals    hash    server-wide hits and last hits (``h:…``, ``t:…``)
    P:gen       counter generations of runtime rule sets (never reset)

Each operation is one round trip: a Lua script where it reads and writes (a script step is
claimed atomically, so concurrent requests of one session never skip or repeat a step).
A process compiles a scope's rules once per generation and keeps the ``RuleSet``.

Deliberate choices: a rules document is compiled against the fixtures in force where it is
compiled (its ``defaults.stream`` and ``text_file`` directory, the same files in every
replica); a session made or used on one replica expires by the same idle clock everywhere
(its keys' TTL, refreshed on use).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from ..errors import FixtureError
from ..fixtures.loader import Rule
from ..fixtures.runtime import EMPTY, RuleSet
from ..sessions import (
    GLOBAL,
    NO_SETTINGS,
    SESSION,
    DuplicateRule,
    Hit,
    RuleKey,
    RuleSource,
    SessionInfo,
    SessionSettings,
    SessionView,
)
from .connection import Connection
from .session_scripts import SCRIPTS

log = logging.getLogger("messages_sandbox.state")

Compile = Callable[[str, bool], tuple[Rule, ...]]
"""Compiles a posted rules document (text, is JSON) against the fixtures in force."""

ROOT = "root"


class RedisSessions:
    """``SessionStore`` over one ``Connection`` (see the module docstring for the keys)."""

    def __init__(
        self,
        connection: Connection,
        compile_source: Compile,
        *,
        idle: float = 3600.0,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.idle = idle
        self.capacity = max(capacity, 1)
        self.clock = clock
        self.db = connection
        self.compile_source = compile_source
        self._sessions = connection.key("sessions")
        self._root = connection.key("s", ROOT)
        self._totals = connection.key("totals")
        self._gen = connection.key("gen")
        self._scripts = {name: connection.script(source) for name, source in SCRIPTS.items()}
        self._compiled: dict[str | None, tuple[bytes, RuleSet]] = {}
        """Per scope: the generation compiled and its ``RuleSet``."""
        self._views: dict[tuple[Any, ...], SessionView] = {}

    # -- plumbing -------------------------------------------------------------------------
    def _keys(self, session: str | None) -> list[str]:
        name = ROOT if session is None else session
        return [
            self.db.key("s", name),
            self.db.key("r", name),
            self._sessions,
            self._root,
            self._totals,
            self._gen,
        ]

    def _call(self, script: str, session: str | None, *extra: Any) -> Any:
        args = [
            repr(self.clock()),
            int(self.idle * 1000),
            "" if session is None else session,
            self.capacity,
            self.db.prefix,
            *extra,
        ]
        return self.db.run(self._scripts[script](keys=self._keys(session), args=args))

    def _rule_set(self, session: str | None, generation: bytes | None) -> RuleSet:
        """The scope's rules at ``generation`` (compiled once per process and generation)."""
        if not generation:
            return EMPTY
        known = self._compiled.get(session)
        if known is not None and known[0] == generation:
            return known[1]
        ops = self.db.run(self.db.client.lrange(self._keys(session)[1], 0, -1))
        return self._compile(session, generation, ops)

    def _compile(self, session: str | None, generation: bytes | None, ops: list[bytes]) -> RuleSet:
        if not generation:
            return EMPTY
        known = self._compiled.get(session)
        if known is not None and known[0] == generation:
            return known[1]
        rules = EMPTY
        for raw in ops:
            op = orjson.loads(raw)
            if "remove" in op:
                rules = rules.without(op["remove"])
                continue
            try:
                rules = rules.added(self.compile_source(op["text"], op["json"]))
            except FixtureError as exc:
                # Accepted where it was posted, so only a fixtures change since can make it
                # fail here (a `text_file` gone): the rest of the scope's rules still serve.
                log.error("runtime rules of %s no longer compile here: %s", session, exc)
        if len(self._compiled) >= self.capacity:
            self._compiled.clear()
        self._compiled[session] = (generation, rules)
        return rules

    # -- what a request reads ------------------------------------------------------------
    def view(self, session: str | None) -> SessionView:
        if session is None:
            root = self.db.run(self.db.client.hget(self._root, "g"))
            if not root:
                return _NO_VIEW
            return self._view(None, None, None, root)
        own, strict, root = self._call("view", session)
        return self._view(session, own, strict, root)

    def _view(
        self, session: str | None, own: bytes | None, strict: bytes | None, root: bytes | None
    ) -> SessionView:
        if not own and not root and strict is None:
            return _NO_VIEW
        cache_key = (session, own, strict, root)
        view = self._views.get(cache_key)
        if view is None:
            sets = tuple(
                (origin, rules.index)
                for origin, rules in (
                    (SESSION, self._rule_set(session, own) if session is not None else EMPTY),
                    (GLOBAL, self._rule_set(None, root)),
                )
                if rules
            )
            if len(self._views) >= self.capacity:
                self._views.clear()
            view = self._views[cache_key] = SessionView(sets, _settings(strict))
        return view

    def advance(
        self, session: str | None, key: RuleKey, steps: int, after: str, *, hit: bool = False
    ) -> int | None:
        total = "1" if key[0] != SESSION else "0"
        index = self._call("advance", session, _field(key), steps, after, "1" if hit else "", total)
        return None if index < 0 else int(index)

    def record_hit(self, session: str | None, key: RuleKey) -> None:
        total = "1" if key[0] != SESSION else "0"  # a session's own rules: its count only
        self._call("hit", session, _field(key), total)

    # -- what the admin routes read and change ----------------------------------------------
    def hits(self, session: str | None) -> Mapping[RuleKey, Hit]:
        if session is None:
            flat = self.db.run(self.db.client.hgetall(self._totals))
            return _hits(flat)
        flat = self._call("hits", session)
        return _hits(dict(zip(flat[::2], flat[1::2], strict=True)))

    def rules(self, session: str | None) -> RuleSet:
        found = self._call("read", session)
        if not found[0]:
            return EMPTY
        return self._compile(session, found[2], found[3:])

    def all_rules(self) -> list[tuple[str | None, RuleSet, Mapping[RuleKey, Hit]]]:
        client = self.db.client
        self._expire()
        names = [n.decode() for n in self.db.run(client.zrange(self._sessions, 0, -1))]
        pipe = client.pipeline(transaction=False)
        pipe.hget(self._root, "g")
        pipe.lrange(self._keys(None)[1], 0, -1)
        pipe.hgetall(self._totals)
        for name in names:
            pipe.hget(self.db.key("s", name), "g")
        root, root_ops, totals, *generations = self.db.run(pipe.execute())
        found: list[tuple[str | None, RuleSet, Mapping[RuleKey, Hit]]] = [
            (None, self._compile(None, root, root_ops), _hits(totals))
        ]
        with_rules = [(n, g) for n, g in zip(names, generations, strict=True) if g]
        if with_rules:
            pipe = client.pipeline(transaction=False)
            for name, _ in with_rules:
                pipe.lrange(self.db.key("r", name), 0, -1)
                pipe.hgetall(self.db.key("s", name))
            replies = self.db.run(pipe.execute())
            for i, (name, generation) in enumerate(with_rules):
                rules = self._compile(name, generation, replies[2 * i])
                if rules:
                    found.append((name, rules, _hits(replies[2 * i + 1])))
        return found

    def add_rules(
        self, session: str | None, rules: Iterable[Rule], source: RuleSource | None = None
    ) -> RuleSet:
        rules = tuple(rules)
        if source is None:
            raise ValueError("a shared session store keeps each rules document: give `source`")
        text, is_json = source
        op = orjson.dumps({"text": text, "json": is_json})
        added, value = self._call("add", session, op, *(r.id for r in rules))
        if not added:
            raise DuplicateRule(value.decode())
        return self.rules(session)

    def remove_rule(self, session: str | None, rule_id: str) -> bool:
        return bool(self._call("remove", session, rule_id))

    def configure(self, session: str, settings: SessionSettings) -> SessionSettings:
        strict = "" if settings.strict is None else ("true" if settings.strict else "false")
        self._call("configure", session, strict)
        return settings

    def settings(self, session: str) -> SessionSettings:
        found = self._call("read", session)
        return _settings(found[1]) if found[0] else NO_SETTINGS

    def reset(self, session: str | None) -> None:
        client = self.db.client
        if session is not None:
            keys = self._keys(session)
            pipe = client.pipeline(transaction=True)
            pipe.delete(keys[0], keys[1])
            pipe.zrem(self._sessions, session)
            self.db.run(pipe.execute())
            return
        doomed: list[str | bytes] = [self._root, self._keys(None)[1], self._totals, self._sessions]
        for pattern in (self.db.key("s", "*"), self.db.key("r", "*")):
            doomed += self.db.run(_scan(client, pattern))
        self.db.run(client.delete(*doomed))

    def sessions(self) -> list[SessionInfo]:
        client = self.db.client
        self._expire()
        live = self.db.run(client.zrevrange(self._sessions, 0, -1, withscores=True))
        if not live:
            return []
        pipe = client.pipeline(transaction=False)
        for name, _ in live:
            pipe.hmget(self.db.key("s", name.decode()), "_", "n", "strict")
        replies = self.db.run(pipe.execute())
        return [
            SessionInfo(name.decode(), last, last + self.idle, int(n or 0), _settings(strict))
            for (name, last), (exists, n, strict) in zip(live, replies, strict=True)
            if exists
        ]

    def __len__(self) -> int:
        self._expire()
        return int(self.db.run(self.db.client.zcard(self._sessions)))

    def _expire(self) -> None:
        deadline = self.clock() - self.idle
        self.db.run(self.db.client.zremrangebyscore(self._sessions, "-inf", deadline))


_NO_VIEW = SessionView()


async def _scan(client: Any, pattern: str) -> list[bytes]:
    return [key async for key in client.scan_iter(match=pattern, count=500)]


def _field(key: RuleKey) -> str:
    return f"{key[0]}:{key[1]}"


def _settings(strict: bytes | None) -> SessionSettings:
    if strict is None:
        return NO_SETTINGS
    return SessionSettings(strict=strict == b"true")


def _hits(flat: Mapping[bytes, bytes]) -> dict[RuleKey, Hit]:
    """``h:<origin>:<id>`` counts and ``t:…`` times as ``Hit``s."""
    out: dict[RuleKey, Hit] = {}
    for field, value in flat.items():
        if not field.startswith(b"h:"):
            continue
        origin, _, rule_id = field[2:].decode().partition(":")
        last = flat.get(b"t:" + field[2:])
        out[(origin, rule_id)] = Hit(int(value), float(last) if last else 0.0)
    return out
