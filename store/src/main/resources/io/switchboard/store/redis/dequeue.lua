-- Takes an entry out of a virtual user's queue; only one caller gets it. With a node, the entry is kept aside as
-- being offered by that node's router (and goes back to its place if that node dies); without, it is over (served,
-- cancelled or timed out), and one kept aside is forgotten.
--
-- KEYS of the virtual user: queue, queue entries, queue arrivals, handling times, entries being offered
-- ARGV: entry key, node ('' for none)
-- Returns {stored value ('' when it was not waiting), its former rank (0-based), stored values of the entries that
--          moved up, handling times}.
return run(function()
  local handling = redis.call('LRANGE', KEYS[4], 0, -1)
  local stored = redis.call('HGET', KEYS[2], ARGV[1])
  if not stored then
    if ARGV[2] == '' then
      redis.call('HDEL', KEYS[5], ARGV[1])
    end
    return {'', 0, {}, handling}
  end
  local member = string.sub(stored, 1, string.find(stored, '\n', 1, true) - 1)
  local rank = redis.call('ZRANK', KEYS[1], member)
  redis.call('ZREM', KEYS[1], member)
  redis.call('HDEL', KEYS[2], ARGV[1])
  if ARGV[2] ~= '' then
    redis.call('HSET', KEYS[5], ARGV[1], ARGV[2] .. '\n' .. stored)
  end
  return {stored, rank, queue_values(KEYS[1], KEYS[2], rank, -1), handling}
end)
