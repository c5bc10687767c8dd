-- Takes every element of a list, oldest first, and empties it.
--
-- KEYS: the list
return run(function()
  local items = redis.call('LRANGE', KEYS[1], 0, -1)
  redis.call('DEL', KEYS[1])
  return items
end)
