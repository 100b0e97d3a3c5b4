"""Message threads in Redis: a thread created on one replica continues on any other.

Keys: ``P:thread:<message id>``, a hash of the stored reply (``k`` API key, ``m`` model,
``s`` state, ``msgs`` the conversation as JSON, ``co`` the create-only fields as JSON), and
``P:threads``, a sorted set of the stored ids by last use (the capacity's LRU order).
Claiming a reply (``open`` -> ``in_flight``) and storing the next one are each one Lua
script, so two replicas never continue the same reply twice. Same states, errors and
choices as ``threads.ThreadStore``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from ..threads import IN_FLIGHT, ThreadStore, Turn, _Stored, claim_refusal, not_found_error
from .connection import Connection

# KEYS: 1 the reply's hash, 2 the LRU set. ARGV: 1 API key, 2 model, 3 now, 4 its id.
_CLAIM = """
local v = redis.call('hmget', KEYS[1], 'k', 'm', 's', 'msgs', 'co')
if not v[1] or v[1] ~= ARGV[1] then return {'missing'} end
if v[3] ~= 'open' or v[2] ~= ARGV[2] then return {'refused', v[3], v[2]} end
redis.call('hset', KEYS[1], 's', 'in_flight')
redis.call('zadd', KEYS[2], ARGV[3], ARGV[4])
return {'ok', v[4], v[5]}
"""

# KEYS: 1 the previous reply's hash ('' when none), 2 the LRU set, 3 the new reply's hash.
# ARGV: 1 '1' completed, 2 now, 3 new id, 4 API key, 5 model, 6 messages, 7 create-only,
# 8 capacity, 9 the key prefix of replies.
_END = """
local previous = KEYS[1] ~= '' and redis.call('exists', KEYS[1]) == 1
if ARGV[1] ~= '1' then
  if previous and redis.call('hget', KEYS[1], 's') == 'in_flight' then
    redis.call('hset', KEYS[1], 's', 'open')
  end
  return 0
end
if previous then redis.call('hset', KEYS[1], 's', 'continued', 'msgs', '[]') end
redis.call('hset', KEYS[3], 'k', ARGV[4], 'm', ARGV[5], 's', 'open', 'msgs', ARGV[6], 'co', ARGV[7])
redis.call('zadd', KEYS[2], ARGV[2], ARGV[3])
local over = redis.call('zcard', KEYS[2]) - tonumber(ARGV[8])
if over > 0 then
  local gone = redis.call('zpopmin', KEYS[2], over)
  for i = 1, #gone, 2 do redis.call('del', ARGV[9] .. gone[i]) end
end
return 1
"""


class RedisThreads(ThreadStore):
    def __init__(
        self,
        connection: Connection,
        capacity: int = 10_000,
        unsupported: Iterable[str] = (),
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(capacity, unsupported)
        self.db = connection
        self.clock = clock
        self._lru = connection.key("threads")
        self._reply_prefix = connection.key("thread", "")
        self._claim_script = connection.script(_CLAIM)
        self._end_script = connection.script(_END)

    def __len__(self) -> int:
        return int(self.db.run(self.db.client.zcard(self._lru)))

    def _claim(self, previous_id: str, api_key: str, model: str) -> _Stored:
        found = self.db.run(
            self._claim_script(
                keys=[self._reply_prefix + previous_id, self._lru],
                args=[api_key, model, repr(self.clock()), previous_id],
            )
        )
        if found[0] == b"missing":
            raise not_found_error(previous_id)
        if found[0] == b"refused":
            refusal = claim_refusal(found[1].decode(), found[2].decode(), previous_id, model)
            assert refusal is not None
            raise refusal
        return _Stored(
            api_key=api_key,
            model=model,
            messages=orjson.loads(found[1]),
            create_only=orjson.loads(found[2]),
            state=IN_FLIGHT,
        )

    def end(self, turn: Turn, message: Mapping[str, Any], completed: bool = True) -> None:
        if turn.done:
            return
        turn.done = True
        previous = "" if turn.previous_id is None else self._reply_prefix + turn.previous_id
        args: list[Any] = ["1" if completed else "0", repr(self.clock())]
        new_key = previous  # unused when not completed
        if completed:
            reply = {"role": "assistant", "content": message["content"]}
            new_key = self._reply_prefix + message["id"]
            args += [
                message["id"],
                turn.api_key,
                turn.request["model"],
                orjson.dumps([*turn.request["messages"], reply]),
                orjson.dumps(turn.create_only),
                self.capacity,
                self._reply_prefix,
            ]
        self.db.run(self._end_script(keys=[previous, self._lru, new_key], args=args))
