-- Closes a conversation on behalf of a party: forgets it, its sequence and its transcript, and remembers
-- for a while that it was closed, so late requests get gone rather than not_found. Only one caller closes it.
--
-- KEYS of the conversation: hash, closed marker, sequence, transcript
-- ARGV: conversation id, user, how long it is remembered as closed (ms)
-- Returns the conversation's fields.
return run(function()
  local fields = party_of(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
  redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return fields
end)
