-- Adds an open to a virtual user's queue if the policy admits it with as many waiting (docs/POLICY.md § Queue).
--
-- KEYS of the virtual user: queue, queue entries, queue arrivals, handling times, entries being offered
-- ARGV: entry key, entry JSON, priority, maxWaiting, bypassPriority ('' for none), hard limit, arrival ('0': a new one)
-- Returns {position (0: refused), its member ('' when refused), stored values of the entries behind it,
--          handling times}. An entry already waiting is answered with its position and none behind; one that was
--          being offered is no longer.
return run(function()
  redis.call('HDEL', KEYS[5], ARGV[1])
  local handling = redis.call('LRANGE', KEYS[4], 0, -1)
  local stored = redis.call('HGET', KEYS[2], ARGV[1])
  if stored then
    local member = string.sub(stored, 1, string.find(stored, '\n', 1, true) - 1)
    return {redis.call('ZRANK', KEYS[1], member) + 1, member, {}, handling}
  end
  local waiting = redis.call('ZCARD', KEYS[1])
  local priority = tonumber(ARGV[3])
  local admitted = waiting < tonumber(ARGV[4])
    or (ARGV[5] ~= '' and priority >= tonumber(ARGV[5]) and waiting < tonumber(ARGV[6]))
  if not admitted then
    return {0, '', {}, handling}
  end
  local arrival = tonumber(ARGV[7])
  if arrival == 0 then
    arrival = redis.call('INCR', KEYS[3])
  end
  local member = string.format('%015.0f', arrival) .. ':' .. ARGV[1]
  redis.call('ZADD', KEYS[1], -priority, member)
  redis.call('HSET', KEYS[2], ARGV[1], member .. '\n' .. ARGV[2])
  local rank = redis.call('ZRANK', KEYS[1], member)
  return {rank + 1, member, queue_values(KEYS[1], KEYS[2], rank + 1, -1), handling}
end)
