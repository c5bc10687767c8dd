-- Remembers how long a conversation with a virtual user lasted: the newest samples only.
--
-- KEYS of the virtual user: handling times
-- ARGV: ms, how many samples to keep
return run(function()
  redis.call('LPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
  return 1
end)
