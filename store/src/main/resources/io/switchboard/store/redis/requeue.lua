-- Queues a message that reached a gateway after the user's last session there was gone, unless the user has a
-- session on another gateway (which got the message too). A full mailbox refuses it: the refusal is counted, and
-- the message stays in its transcript only.
--
-- KEYS of the user: sessions (hash session -> gateway), mailbox, refused counts
-- ARGV: the gateway that could not deliver it, message event JSON, mailbox limit
-- Returns 1 when queued, else 0.
return run(function()
  for _, gateway in ipairs(redis.call('HVALS', KEYS[1])) do
    if gateway ~= ARGV[1] then
      return 0
    end
  end
  if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[3]) then
    redis.call('HINCRBY', KEYS[3], 'mailbox', 1)
    return 0
  end
  redis.call('RPUSH', KEYS[2], ARGV[2])
  return 1
end)
