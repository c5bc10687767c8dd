-- Keeps observations of users for the adaptive manager, each stamped with its user's status and activity now.
--
-- KEYS per user: its observations list, its presence hash (on Redis Cluster, one user per call)
-- ARGV: the limit per user, then per user: how many observations, then those observations (non-empty JSON objects
--       without status and activity), in the order of KEYS
-- Returns how many of the oldest observations went to make room.
return run(function()
  local limit = tonumber(ARGV[1])
  local at = 2
  local trimmed = 0
  for k = 1, #KEYS, 2 do
    local count = tonumber(ARGV[at])
    at = at + 1
    local presence = redis.call('HMGET', KEYS[k + 1], 'status', 'activity')
    local stamp = '{"status":' .. cjson.encode(presence[1] or 'offline')
    if presence[2] then
      stamp = stamp .. ',"activity":' .. cjson.encode(presence[2])
    end
    local stamped = {}
    for i = 1, count do
      stamped[i] = stamp .. ',' .. string.sub(ARGV[at], 2)
      at = at + 1
    end
    local length = redis.call('RPUSH', KEYS[k], unpack(stamped))
    if length > limit then
      trimmed = trimmed + math.min(count, length - limit)
      redis.call('LTRIM', KEYS[k], -limit, -1)
    end
  end
  return trimmed
end)
