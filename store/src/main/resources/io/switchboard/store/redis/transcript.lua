-- A conversation's transcript after a seq, as one of its parties may read it.
--
-- KEYS of the conversation: hash, closed marker, transcript
-- ARGV: conversation id, user, after seq, most entries
-- Returns {the conversation's fields, the first (most entries) entries with a seq above (after seq), oldest first,
--          without those dropped for the user (JSON: recipient, sender, seq, ts, body, handling, notify, auto)}.
-- append.lua numbers the entries one by one, so the first entry after a seq is found by its position and only
-- the entries returned (and any dropped for the user between them) are read.
return run(function()
  local user = ARGV[2]
  local fields = party_of(KEYS[1], KEYS[2], ARGV[1], user)
  local after = tonumber(ARGV[3])
  local most = tonumber(ARGV[4])
  local entries = {}
  local oldest = redis.call('LINDEX', KEYS[3], 0)
  if not oldest then
    return {fields, entries}
  end
  local index = math.max(0, after + 1 - cjson.decode(oldest).seq)
  while #entries < most do
    local batch = redis.call('LRANGE', KEYS[3], index, index + most - #entries - 1)
    if #batch == 0 then
      break
    end
    for _, json in ipairs(batch) do
      local entry = cjson.decode(json)
      if entry.seq > after and not (entry.recipient == user and entry.handling == 'dropped') then
        entries[#entries + 1] = json
      end
    end
    index = index + #batch
  end
  return {fields, entries}
end)
