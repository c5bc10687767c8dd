-- Holds a message for its recipient, as its handling rules said, keeping the newest `limit`.
--
-- KEYS of the recipient: held list
-- ARGV: message event JSON, held limit
-- Returns how many messages the recipient now has on hold.
return run(function()
  redis.call('RPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
  return redis.call('LLEN', KEYS[1])
end)
