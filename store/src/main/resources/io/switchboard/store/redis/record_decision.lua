-- Records a routing decision (newest first, keeping `kept`) and, when the round-robin step chose the member,
-- moves the cursor to it.
--
-- KEYS of the virtual user: decisions, round-robin cursor
-- ARGV: decision JSON, decisions kept, member the round-robin step chose ('' if it did not)
return run(function()
  redis.call('LPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
  if ARGV[3] ~= '' then
    redis.call('SET', KEYS[2], ARGV[3])
  end
  return true
end)
