-- Queues a message in a recipient's mailbox when the recipient has no session, keeping the newest `limit`.
-- Checked and queued in one step, so a message is either delivered live or drained on connect.
--
-- KEYS of the recipient: sessions, mailbox
-- ARGV: message event JSON, mailbox limit
-- Returns 1 when queued, 0 when the recipient is connected.
return run(function()
  if redis.call('EXISTS', KEYS[1]) == 1 then
    return 0
  end
  redis.call('RPUSH', KEYS[2], ARGV[1])
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
  return 1
end)
