-- Appends one item to a bounded list, dropping the oldest beyond the limit; a unique item is moved to the end.
--
-- KEYS: the list
-- ARGV: the item, the limit, 1 when the item is unique in the list (0 otherwise)
return run(function()
  if ARGV[3] == '1' then
    redis.call('LREM', KEYS[1], 0, ARGV[1])
  end
  redis.call('RPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
  return 1
end)
