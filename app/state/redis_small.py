"""The smaller shared stores in Redis: prompt-cache entries, rate-limit windows, and the
metadata indexes of files and batches (their bytes stay under ``SANDBOX_DATA_DIR``, a
volume every replica mounts).

Keys (``P`` is ``SANDBOX_STATE_PREFIX``):

    P:pc:<prefix hash>      a live prompt-cache entry (value: its TTL), expiring with it
    P:rl:<api key>:uses     rate limits: sorted set of use id -> time admitted
    P:rl:<api key>:use      hash of use id -> "input output" tokens
    P:rl:<api key>:sum      hash of the window's running sums (``in``, ``out``)
    P:files, P:batches      hash of id -> metadata JSON
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

import orjson

from ..ratelimits import GENEROUS, Admission, Limits, RateLimiter, _header_rows, _Use, _Window
from .connection import Connection


class RedisCacheEntries:
    """``caching.CacheEntries``: one ``MGET`` to look up, one pipeline to write."""

    def __init__(self, connection: Connection) -> None:
        self.db = connection
        self._prefix = connection.key("pc", "")

    def live(self, keys: Sequence[bytes], now: float) -> dict[bytes, float]:
        if not keys:
            return {}
        values = self.db.run(self.db.client.mget([self._prefix + k.hex() for k in keys]))
        return {k: float(v) for k, v in zip(keys, values, strict=True) if v is not None}

    def put(self, entries: Sequence[tuple[bytes, float]], now: float) -> None:
        pipe = self.db.client.pipeline(transaction=False)
        for key, ttl in entries:
            pipe.set(self._prefix + key.hex(), repr(ttl), px=int(ttl * 1000))
        self.db.run(pipe.execute())


# KEYS: 1 uses (zset), 2 use tokens (hash), 3 sums (hash). ARGV 1 now, 2 window (s).
_PRUNE = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
for _, id in ipairs(redis.call('zrangebyscore', KEYS[1], '-inf', now - window)) do
  local v = redis.call('hget', KEYS[2], id)
  if v then
    local i, o = string.match(v, '(%d+) (%d+)')
    redis.call('hincrby', KEYS[3], 'in', -tonumber(i))
    redis.call('hincrby', KEYS[3], 'out', -tonumber(o))
    redis.call('hdel', KEYS[2], id)
  end
  redis.call('zrem', KEYS[1], id)
end
local sums = redis.call('hmget', KEYS[3], 'in', 'out')
local used_in, used_out = tonumber(sums[1] or '0'), tonumber(sums[2] or '0')
"""

# ARGV 3 input tokens, 4-6 the limits, 7 the new use's id -> {1} or {0, at, "in out", ...}
_ADMIT = (
    _PRUNE
    + """
local count = redis.call('zcard', KEYS[1])
if count + 1 > tonumber(ARGV[4]) or used_in + tonumber(ARGV[3]) > tonumber(ARGV[5])
    or used_out >= tonumber(ARGV[6]) then
  local out = {0}
  for _, id in ipairs(redis.call('zrange', KEYS[1], 0, -1)) do
    out[#out + 1] = redis.call('zscore', KEYS[1], id)
    out[#out + 1] = redis.call('hget', KEYS[2], id) or '0 0'
  end
  return out
end
redis.call('zadd', KEYS[1], ARGV[1], ARGV[7])
redis.call('hset', KEYS[2], ARGV[7], ARGV[3] .. ' 0')
redis.call('hincrby', KEYS[3], 'in', ARGV[3])
local ttl = math.ceil(tonumber(ARGV[2]) * 1000) + 1000
for i = 1, 3 do redis.call('pexpire', KEYS[i], ttl) end
return {1}
"""
)

# ARGV 3 the use's id, 4 its output tokens
_OUTPUT = """
local v = redis.call('hget', KEYS[2], ARGV[3])
if not v then return 0 end
local i, o = string.match(v, '(%d+) (%d+)')
redis.call('hset', KEYS[2], ARGV[3], i .. ' ' .. (tonumber(o) + tonumber(ARGV[4])))
redis.call('hincrby', KEYS[3], 'out', ARGV[4])
return 1
"""

# -> {count, input used, output used, last use, last with input, last with output}
_WINDOW = (
    _PRUNE
    + """
local last, last_in, last_out = false, false, false
local ids = redis.call('zrange', KEYS[1], 0, -1)
for k = #ids, 1, -1 do
  local at = redis.call('zscore', KEYS[1], ids[k])
  local i, o = string.match(redis.call('hget', KEYS[2], ids[k]) or '0 0', '(%d+) (%d+)')
  if not last then last = at end
  if not last_in and tonumber(i) > 0 then last_in = at end
  if not last_out and tonumber(o) > 0 then last_out = at end
end
return {#ids, tostring(used_in), tostring(used_out), last, last_in, last_out}
"""
)


class RedisRateLimiter(RateLimiter):
    """``RateLimiter`` whose windows are in Redis: a key's limits hold across replicas.
    Each admission is one Lua script (prune, check, count), so concurrent requests on
    several replicas never exceed a limit together."""

    def __init__(
        self,
        connection: Connection,
        *,
        window: float,
        clock: Callable[[], float],
        organization_id: str,
    ) -> None:
        super().__init__(window=window, clock=clock, organization_id=organization_id)
        self.db = connection
        self._admit = connection.script(_ADMIT)
        self._output = connection.script(_OUTPUT)
        self._window = connection.script(_WINDOW)

    def _keys(self, api_key: str) -> list[str]:
        return [self.db.key("rl", api_key, part) for part in ("uses", "use", "sum")]

    def admit(
        self, api_key: str, limits: Limits | None, *, input_tokens: int, model: str
    ) -> Admission:
        if limits is None:
            return Admission(None, None)
        now = self.clock()
        use_id = uuid.uuid4().hex
        args = [repr(now), repr(self.window), input_tokens, *dataclasses.astuple(limits), use_id]
        found = self.db.run(self._admit(keys=self._keys(api_key), args=args))
        if found[0] == 1:
            return Admission(None, None, (api_key, use_id))
        win = _Window()
        for at, tokens in zip(found[1::2], found[2::2], strict=True):
            used_in, used_out = map(int, tokens.split())
            win.uses.append(_Use(float(at), used_in, used_out))
            win.input_tokens += used_in
            win.output_tokens += used_out
        refusal = self.over(win, limits, input_tokens, now, model)
        if refusal is None:  # the window moved between the script and here: ask again
            return self.admit(api_key, limits, input_tokens=input_tokens, model=model)
        raise refusal

    def record_output(self, admission: Admission, output_tokens: int) -> None:
        if admission.key is None:
            return
        api_key, use_id = admission.key
        args = [repr(self.clock()), repr(self.window), use_id, output_tokens]
        self.db.run(self._output(keys=self._keys(api_key), args=args))

    def headers(self, api_key: str, configured: Limits | None) -> list[tuple[bytes, bytes]]:
        if configured is None:
            return super().headers(api_key, None)
        now = self.clock()
        args = [repr(now), repr(self.window)]
        count, used_in, used_out, *lasts = self.db.run(
            self._window(keys=self._keys(api_key), args=args)
        )
        limits = configured or GENEROUS
        left = Limits(
            requests=max(0, limits.requests - int(count)),
            input_tokens=max(0, limits.input_tokens - int(used_in)),
            output_tokens=max(0, limits.output_tokens - int(used_out)),
        )
        last, last_in, last_out = (now if t is None else float(t) + self.window for t in lasts)
        return _header_rows(limits, left, (last, last_in, last_out))


T = TypeVar("T")


class RedisIndex(Generic[T]):
    """Metadata by id (files, batches) in one Redis hash, as JSON of the dataclass."""

    def __init__(self, connection: Connection, name: str, kind: Callable[..., T]) -> None:
        self.db = connection
        self.kind = kind
        self._key = connection.key(name)

    def get(self, item_id: str) -> T | None:
        raw = self.db.run(self.db.client.hget(self._key, item_id))
        return None if raw is None else self.kind(**orjson.loads(raw))

    def put(self, item_id: str, item: T) -> None:
        data = orjson.dumps(dataclasses.asdict(item))  # type: ignore[call-overload]
        self.db.run(self.db.client.hset(self._key, item_id, data))

    def remove(self, item_id: str) -> None:
        self.db.run(self.db.client.hdel(self._key, item_id))

    def values(self) -> Iterator[T]:
        found = self.db.run(self.db.client.hgetall(self._key))
        return (self.kind(**orjson.loads(raw)) for raw in found.values())

    def __contains__(self, item_id: str) -> bool:
        return bool(self.db.run(self.db.client.hexists(self._key, item_id)))

    def __len__(self) -> int:
        return int(self.db.run(self.db.client.hlen(self._key)))
