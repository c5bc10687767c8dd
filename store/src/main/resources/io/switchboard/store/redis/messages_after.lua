-- What a party received in a conversation after a sequence number, oldest first, from the transcript.
--
-- KEYS of the conversation: hash, closed marker, transcript
-- ARGV: conversation id, user, after this sequence number
-- Returns {the conversation's fields, transcript entries (JSON: sender, seq, ts, body)}.
return run(function()
  local fields = party_of(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
  local after = tonumber(ARGV[3])
  local received = {}
  for _, json in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do
    local entry = cjson.decode(json)
    if entry.recipient == ARGV[2] and entry.seq > after then
      received[#received + 1] = json
    end
  end
  return {fields, received}
end)
