-- A conversation's transcript, for one of its parties.
--
-- KEYS of the conversation: hash, closed marker, transcript
-- ARGV: conversation id, user
-- Returns {the conversation's fields, transcript entries oldest first
--          (JSON: recipient, sender, seq, ts, body, handling, notify, auto)}.
return run(function()
  local fields = party_of(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
  return {fields, redis.call('LRANGE', KEYS[3], 0, -1)}
end)
