-- Claims a node for eviction, once: removes its lease and marks it as being evicted until its evictor is done (or
-- the window has passed), so that the node, should it live, does not announce its sessions before they are
-- disconnected (renew_lease answers 2 meanwhile).
--
-- KEYS: node leases (sorted set node -> expiry), evictions (sorted set node -> until when)
-- ARGV: node, eviction window (ms)
-- Returns 1 when this call claimed the node, else 0.
return run(function()
  if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
    return 0
  end
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('ZADD', KEYS[2], integer_text(now + tonumber(ARGV[2])), ARGV[1])
  return 1
end)
