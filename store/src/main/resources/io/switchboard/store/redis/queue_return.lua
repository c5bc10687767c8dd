-- Puts back in their places the entries of a virtual user's queue that a node's router took out to offer and did
-- not settle: that node is gone.
--
-- KEYS of the virtual user: queue, queue entries, queue arrivals, handling times, entries being offered
-- ARGV: node
-- Returns how many went back.
return run(function()
  local offered = redis.call('HGETALL', KEYS[5])
  local prefix = ARGV[1] .. '\n'
  local returned = 0
  for i = 1, #offered, 2 do
    local value = offered[i + 1]
    if string.sub(value, 1, #prefix) == prefix then
      local stored = string.sub(value, #prefix + 1)
      local newline = string.find(stored, '\n', 1, true)
      local member = string.sub(stored, 1, newline - 1)
      local entry = cjson.decode(string.sub(stored, newline + 1))
      redis.call('ZADD', KEYS[1], -tonumber(entry.priority), member)
      redis.call('HSET', KEYS[2], offered[i], stored)
      redis.call('HDEL', KEYS[5], offered[i])
      returned = returned + 1
    end
  end
  return returned
end)
