"""The Lua scripts of ``redis_sessions.RedisSessions``: each session operation is one of
them, run atomically by Redis in one round trip. Keys and fields: that module's docstring."""

from __future__ import annotations

# KEYS: 1 session hash, 2 its rules list, 3 the sessions zset, 4 root hash, 5 totals,
# 6 the generation counter. ARGV: 1 now (s), 2 idle (ms), 3 session name ('' = root scope),
# 4 capacity, 5 key prefix of sessions (``P:``), then the operation's own.
_TOUCH = """
local function touch(create)
  if ARGV[3] == '' then return true end
  local exists = redis.call('exists', KEYS[1]) == 1
  if not exists and not create then return false end
  if not exists then redis.call('hset', KEYS[1], '_', '1') end
  redis.call('zadd', KEYS[3], ARGV[1], ARGV[3])
  redis.call('pexpire', KEYS[1], ARGV[2])
  redis.call('pexpire', KEYS[2], ARGV[2])
  if not exists then
    local idle = tonumber(ARGV[2]) / 1000
    redis.call('zremrangebyscore', KEYS[3], '-inf', tonumber(ARGV[1]) - idle)
    local over = redis.call('zcard', KEYS[3]) - tonumber(ARGV[4])
    if over > 0 then
      local gone = redis.call('zpopmin', KEYS[3], over)
      for i = 1, #gone, 2 do
        redis.call('del', ARGV[5] .. 's:' .. gone[i], ARGV[5] .. 'r:' .. gone[i])
      end
    end
  end
  return true
end
"""

_VIEW = (
    _TOUCH
    + """
local root = redis.call('hget', KEYS[4], 'g')
if not touch(false) then return {false, false, root} end
local own = redis.call('hmget', KEYS[1], 'g', 'strict')
return {own[1], own[2], root}
"""
)

# ARGV 6: the rule's key (``origin:id``), 7: steps, 8: after (scripts.step_index, in Lua),
# 9: '1' to count a claimed step as the rule's hit, 10: '1' when the totals count it too.
_ADVANCE = (
    _TOUCH
    + """
touch(true)
local counter = 'c:' .. ARGV[6]
local position = tonumber(redis.call('hget', KEYS[1], counter) or '0')
local steps = tonumber(ARGV[7])
local index
if position < steps then index = position
elseif ARGV[8] == 'repeat_last' then index = steps - 1
elseif ARGV[8] == 'cycle' then index = position % steps
else return -1 end
redis.call('hincrby', KEYS[1], counter, 1)
if ARGV[9] == '1' then
  if ARGV[3] ~= '' then
    redis.call('hincrby', KEYS[1], 'h:' .. ARGV[6], 1)
    redis.call('hset', KEYS[1], 't:' .. ARGV[6], ARGV[1])
  end
  if ARGV[10] == '1' then
    redis.call('hincrby', KEYS[5], 'h:' .. ARGV[6], 1)
    redis.call('hset', KEYS[5], 't:' .. ARGV[6], ARGV[1])
  end
end
return index
"""
)

# ARGV 6: the rule's key (``origin:id``), 7: '1' when the server-wide totals count it.
_HIT = (
    _TOUCH
    + """
if ARGV[3] ~= '' then
  touch(true)
  redis.call('hincrby', KEYS[1], 'h:' .. ARGV[6], 1)
  redis.call('hset', KEYS[1], 't:' .. ARGV[6], ARGV[1])
end
if ARGV[7] == '1' then
  redis.call('hincrby', KEYS[5], 'h:' .. ARGV[6], 1)
  redis.call('hset', KEYS[5], 't:' .. ARGV[6], ARGV[1])
end
return 1
"""
)

# ARGV 6: the document (JSON op), 7...: the ids it adds. -> {0, taken id} or {1, generation}
_ADD = (
    _TOUCH
    + """
for i = 7, #ARGV do
  if redis.call('hexists', KEYS[1], 'r:' .. ARGV[i]) == 1 then return {0, ARGV[i]} end
end
touch(true)
for i = 7, #ARGV do redis.call('hset', KEYS[1], 'r:' .. ARGV[i], '1') end
redis.call('rpush', KEYS[2], ARGV[6])
if ARGV[3] ~= '' then redis.call('pexpire', KEYS[2], ARGV[2]) end
redis.call('hincrby', KEYS[1], 'n', #ARGV - 6)
local g = redis.call('incr', KEYS[6])
redis.call('hset', KEYS[1], 'g', g)
return {1, g}
"""
)

# ARGV 6: the rule id -> 1 removed, 0 not there
_REMOVE = (
    _TOUCH
    + """
if not touch(false) then return 0 end
if redis.call('hdel', KEYS[1], 'r:' .. ARGV[6]) == 0 then return 0 end
redis.call('rpush', KEYS[2], cjson.encode({remove = ARGV[6]}))
redis.call('hincrby', KEYS[1], 'n', -1)
redis.call('hset', KEYS[1], 'g', redis.call('incr', KEYS[6]))
return 1
"""
)

# ARGV 6: 'true', 'false' or '' (the server's mode)
_CONFIGURE = (
    _TOUCH
    + """
touch(true)
if ARGV[6] == '' then redis.call('hdel', KEYS[1], 'strict')
else redis.call('hset', KEYS[1], 'strict', ARGV[6]) end
return 1
"""
)

# -> {exists, strict, generation, the rules list...} (marks the session used)
_READ = (
    _TOUCH
    + """
if not touch(false) then return {0} end
local v = redis.call('hmget', KEYS[1], 'strict', 'g')
local out = {1, v[1], v[2]}
for _, op in ipairs(redis.call('lrange', KEYS[2], 0, -1)) do out[#out + 1] = op end
return out
"""
)

_HITS = (
    _TOUCH
    + """
if not touch(false) then return {} end
return redis.call('hgetall', KEYS[1])
"""
)

SCRIPTS = {
    "view": _VIEW,
    "advance": _ADVANCE,
    "hit": _HIT,
    "add": _ADD,
    "remove": _REMOVE,
    "configure": _CONFIGURE,
    "read": _READ,
    "hits": _HITS,
}
