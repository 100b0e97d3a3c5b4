"""Prompt caching: breakpoints, cache entries keyed by the exact prefix, and input usage.

A request's prompt is the ``tokens.segments`` sequence (tools, system, messages). A
breakpoint is a segment carrying ``cache_control`` (or the last segment, when the request
has top-level ``cache_control``: automatic caching). Each breakpoint names the prefix that
ends there; the prefix is keyed by a hash chain over the model and every segment up to it,
so any change before a breakpoint (a tool, a word of the system prompt) is a miss.

For each breakpoint the cache looks for the longest live entry at the breakpoint or up to
``LOOKBACK`` segments before it, as the real API does, so a conversation that moves its
breakpoint forward each turn reads the previous turn's prefix. The longest hit is read;
from there, every breakpoint whose prefix is at least the model's minimum cacheable length
is written (its TTL decides whether its tokens are ``ephemeral_5m`` or ``ephemeral_1h``).
Whatever is left is ``input_tokens``, so the three always add up to ``count_tokens``.
(The limit of four breakpoints is a request rule: ``constraints.request``.)

Deliberate choices: one sandbox is one organization (entries are shared by all API keys,
as the single ``anthropic-organization-id`` says); changes of ``tool_choice``/``thinking``
do not invalidate entries (the real API's finer invalidation rules are not modelled).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

import orjson

from . import nesting
from .message.build import Usage
from .request import RequestView, as_view
from .tokens import Segment, cache_control_of

LOOKBACK = 20
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}
_MAX_ENTRIES = 100_000


def breakpoints(request: Mapping[str, Any], segs: Sequence[Segment]) -> list[tuple[int, str]]:
    """(segment index, ttl) of every breakpoint, in prompt order."""
    marks = [(i, _ttl(s.cache_control)) for i, s in enumerate(segs) if s.cache_control]
    auto = request.get("cache_control")
    last = len(segs) - 1
    if auto and last >= 0 and (not marks or marks[-1][0] != last):
        marks.append((last, _ttl(auto)))
    return marks


def may_have_breakpoints(request: Mapping[str, Any]) -> bool:
    """False when no segment of ``request`` carries ``cache_control`` and the request has
    none at top level (so ``breakpoints`` is empty), decided without counting anything."""
    if request.get("cache_control"):
        return True
    for tool in request.get("tools") or ():
        if tool.get("cache_control"):
            return True
    system = request.get("system")
    if not isinstance(system, str):
        for block in system or ():
            if block.get("cache_control"):
                return True
    for message in request.get("messages") or ():
        content = message.get("content")
        if not isinstance(content, str):
            for block in content or ():
                if cache_control_of(block):
                    return True
    return False


def _ttl(cache_control: Mapping[str, Any] | None) -> str:
    ttl = (cache_control or {}).get("ttl") or "5m"
    return ttl if ttl in TTL_SECONDS else "5m"


class CacheEntries(Protocol):
    """Where live prefix entries are kept: this process (``MemoryEntries``) or Redis
    (``state.redis_small.RedisCacheEntries``, shared by every worker and replica)."""

    def live(self, keys: Sequence[bytes], now: float) -> dict[bytes, float]:
        """The TTL (seconds) of each of ``keys`` that is live at ``now``."""
        ...

    def put(self, entries: Sequence[tuple[bytes, float]], now: float) -> None:
        """Each (key, ttl) live for ``ttl`` seconds from ``now``."""
        ...


class MemoryEntries:
    """Entries key -> (expiry, ttl), oldest first, at most ``max_entries``."""

    def __init__(self, max_entries: int = _MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def live(self, keys: Sequence[bytes], now: float) -> dict[bytes, float]:
        found: dict[bytes, float] = {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and entry[0] > now:
                    found[key] = entry[1]
        return found

    def put(self, entries: Sequence[tuple[bytes, float]], now: float) -> None:
        with self._lock:
            for key, ttl in entries:
                # A hit refreshes the entry for its full TTL at no cost, as on the real API.
                self._entries[key] = (now + ttl, ttl)
                self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            # Expired entries at the old end go too, so a long-running server stays small.
            while self._entries:
                oldest = next(iter(self._entries.values()))
                if oldest[0] > now:
                    break
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class PromptCache:
    """Input usage of requests against the live prefix entries (``entries``), with an
    injectable clock."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        max_entries: int = _MAX_ENTRIES,
        entries: CacheEntries | None = None,
    ) -> None:
        self.clock = clock
        self.entries: CacheEntries = MemoryEntries(max_entries) if entries is None else entries

    def usage(
        self,
        request: RequestView | Mapping[str, Any],
        *,
        model_id: str,
        min_tokens: int,
        write: bool = True,
    ) -> Usage:
        """Input usage of ``request``; records its cache writes and reads unless ``write``
        is False (count_tokens never touches the cache)."""
        # A view already (the pipeline's), else a view of a plain dict (tests).
        view = request if type(request) is RequestView else as_view(request)
        found = view.found
        # Most requests mark no breakpoint: nothing is read or written and the whole prompt
        # is input_tokens, so the segments and their keys are not needed. What the checks
        # found says so without the ``may_cache`` property call (~1,000 instructions).
        plain = not found.breakpoints if found is not None else not view.may_cache
        if plain:
            return _plain_usage(view.input_tokens)
        segs = view.segments
        total = view.input_tokens
        marks = breakpoints(view.request, segs)
        if not marks:
            return Usage(input_tokens=total)
        cumulative = _running_sums(segs)
        keys = _prefix_keys(model_id, segs[: marks[-1][0] + 1])
        now = self.clock()
        # Every prefix a breakpoint may read, looked up at once (one round trip in Redis).
        looked = sorted({j for i, _ in marks for j in range(max(i - LOOKBACK + 1, 0), i + 1)})
        live = self.entries.live([keys[j] for j in looked], now)
        read_at = _longest_hit(marks, keys, live)
        read = cumulative[read_at] if read_at >= 0 else 0
        covered = read
        created = {"5m": 0, "1h": 0}
        writes: list[tuple[bytes, float]] = []
        for index, ttl in marks:
            if index <= read_at or cumulative[index] < min_tokens:
                continue
            created[ttl] += cumulative[index] - covered
            covered = cumulative[index]
            writes.append((keys[index], TTL_SECONDS[ttl]))
        if read_at >= 0:
            writes.append((keys[read_at], live[keys[read_at]]))
        if write and writes:
            self.entries.put(writes, now)
        creation = created["5m"] + created["1h"]
        return Usage(
            input_tokens=total - read - creation,
            cache_creation_input_tokens=creation,
            cache_read_input_tokens=read,
            cache_creation_5m=created["5m"],
            cache_creation_1h=created["1h"],
        )


def _longest_hit(
    marks: list[tuple[int, str]], keys: list[bytes], live: Mapping[bytes, float]
) -> int:
    best = -1
    for index, _ in marks:
        for j in range(index, max(index - LOOKBACK, best, -1), -1):
            if keys[j] in live:
                best = j
                break
    return best


@lru_cache(maxsize=4096)
def _plain_usage(input_tokens: int) -> Usage:
    """``Usage(input_tokens)``: a prompt that touched no cache. A Usage is immutable, so one
    per count is shared; a memo hit costs a quarter of making the NamedTuple."""
    return Usage(input_tokens)


def _running_sums(segs: Sequence[Segment]) -> list[int]:
    out, total = [], 0
    for s in segs:
        total += s.tokens
        out.append(total)
    return out


def _prefix_keys(model_id: str, segs: Sequence[Segment]) -> list[bytes]:
    """Key ``i`` identifies the exact prompt up to and including segment ``i``: one running
    digest over the model and every segment (its part, whether it starts a message, and the
    digest of its content), so no two prompts share a key. SHA-1 because it was the fastest
    digest measured here (52 µs for 108 KB, BLAKE2b 82 µs) and keys need no secrecy, only
    no accidental collisions among 100,000 entries. The run over the tools (the same every
    turn) is remembered by their JSON."""
    tools = 0
    for s in segs:
        if s.sent is None or s.part != "tools" or s.starts_message:
            break
        tools += 1
    sent = tuple(s.sent for s in segs[:tools] if s.sent is not None)
    if tools and sum(map(len, sent)) <= _TOOLS_CHAIN_MAX:
        tool_keys, state = _tools_chain(model_id, sent)
        keys = list(tool_keys)
        digest = state.copy()
        rest = segs[tools:]
    else:
        keys, digest, rest = [], _start(model_id), segs
    _chain(digest, rest, keys)
    return keys


def _start(model_id: str) -> Any:
    return hashlib.sha1(model_id.encode(), usedforsecurity=False)


def _chain(digest: Any, segs: Sequence[Segment], keys: list[bytes]) -> None:
    update, copy, append = digest.update, digest.copy, keys.append
    for s in segs:
        update(_frame(s.part, s.starts_message))
        update(_content_digest(s.value) if s.sent is None else _digest_by_json(s.sent))
        append(copy().digest())


@lru_cache(maxsize=64)
def _tools_chain(model_id: str, sent: tuple[bytes, ...]) -> tuple[tuple[bytes, ...], Any]:
    """The keys of a run of tools (by their JSON) and the digest after them (copied, never
    updated)."""
    digest = _start(model_id)
    keys: list[bytes] = []
    frame = _frame("tools", False)
    for raw in sent:
        digest.update(frame)
        digest.update(_digest_by_json(raw))
        keys.append(digest.copy().digest())
    return tuple(keys), digest


_TOOLS_CHAIN_MAX = 256 * 1024
"""Tools remembered when their JSON is at most this (64 sets: at most 16 MB held)."""


@lru_cache(maxsize=64)
def _frame(part: str, starts_message: bool) -> bytes:
    return f"\0{part}\0{int(starts_message)}\0".encode()


def _content_digest(value: Any) -> bytes:
    """SHA-1 of the segment's content in one canonical form (keys sorted, ``cache_control``
    left out). Conversations resend every earlier block, tool and system text on each turn,
    so digests are remembered by the content as sent (a string as it is, else its JSON): one
    serialisation and a dictionary lookup instead of a sorted serialisation and its digest
    (part of the Claude Code turn's drop from 8.62 M to 4.93 M instructions in the core;
    bench/results.md). Like the token memos, small and mid-sized contents have separate
    bounded memos and huge ones are digested each time."""
    key: str | tuple[str, str] | bytes
    if type(value) is str:
        key, size = value, len(value)
    elif (
        type(value) is dict
        and value.get("type") == "text"
        and (len(value) == 2 or (len(value) == 3 and "cache_control" in value))
        and type(text := value.get("text")) is str
    ):
        # A plain text block (most of a prompt's bytes): keyed by its text, whose hash the
        # token count has already computed, instead of by its JSON.
        key, size = ("text", text), len(text)
    else:
        return _digest_by_json(nesting.dumps(value))
    return _digest_sized(key, size)


def _digest_by_json(sent: bytes) -> bytes:
    return _digest_sized(sent, len(sent))


def _digest_sized(key: str | tuple[str, str] | bytes, size: int) -> bytes:
    if size < _DIGEST_SMALL:
        return _digest_small(key)
    if size <= _DIGEST_MAX:
        return _digest_mid(key)
    return _digest_of(key)


_DIGEST_SMALL, _DIGEST_MAX = 1024, 64 * 1024
"""At most 4,096 * 1 KB + 512 * 64 KB of contents are held (~36 MB)."""


def _digest_of(sent: str | tuple[str, str] | bytes) -> bytes:
    """The digest of a content from its key: a string, a text block's text, or the JSON the
    client sent."""
    if isinstance(sent, str):
        canonical = orjson.dumps(sent)
    elif isinstance(sent, tuple):
        canonical = orjson.dumps({"text": sent[1], "type": "text"})
    else:
        canonical = nesting.dumps(_without_cache_control(orjson.loads(sent)), sort_keys=True)
    return hashlib.sha1(canonical, usedforsecurity=False).digest()


_digest_small = lru_cache(maxsize=4096)(_digest_of)
_digest_mid = lru_cache(maxsize=512)(_digest_of)


def _without_cache_control(value: Any) -> Any:
    """Moving a breakpoint does not change the prefix it marks."""
    if not isinstance(value, Mapping):
        return value
    out = {k: v for k, v in value.items() if k != "cache_control"}
    inner = out.get("content")
    if isinstance(inner, list):
        out["content"] = [_without_cache_control(item) for item in inner]
    return out
