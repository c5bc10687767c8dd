-- Numbers a message of one party and keeps it in the conversation's bounded transcript.
--
-- KEYS of the conversation: hash, closed marker, sequence, transcript
-- ARGV: conversation id, sender, ts, body, transcript limit, handling, notify level, automatic (1 or 0)
-- Returns {the conversation's fields, sequence number}.
return run(function()
  local fields = party_of(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
  local seq = redis.call('INCR', KEYS[3])
  local recipient = fields[1] == ARGV[2] and fields[3] or fields[1]
  redis.call('RPUSH', KEYS[4], cjson.encode({
    recipient = recipient, sender = ARGV[2], seq = seq, ts = tonumber(ARGV[3]), body = ARGV[4],
    handling = ARGV[6], notify = ARGV[7], auto = ARGV[8] == '1'
  }))
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1)
  return {fields, seq}
end)
