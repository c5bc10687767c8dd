-- Changes how messages to one recipient are marked in a conversation's transcript, keeping their seq: released
-- messages become delivered (from then on `resume` returns them); on Redis Cluster, a message the recipient's full
-- list refused after it was numbered becomes dropped. Entries already gone (trimmed, the conversation closed), or
-- not marked as expected, are skipped.
--
-- KEYS of the conversation: transcript
-- ARGV: the recipient, the handling they have, the handling they get, then the seqs of the messages
-- Returns how many entries were marked.
-- append.lua numbers the entries one by one, so an entry is found by its position from the oldest.
return run(function()
  local oldest = redis.call('LINDEX', KEYS[1], 0)
  if not oldest then
    return 0
  end
  local first = cjson.decode(oldest).seq
  local from = '"handling":"' .. ARGV[2] .. '"'
  local to = '"handling":"' .. ARGV[3] .. '"'
  local marked = 0
  for i = 4, #ARGV do
    local seq = tonumber(ARGV[i])
    local json = seq >= first and redis.call('LINDEX', KEYS[1], seq - first)
    if json then
      local entry = cjson.decode(json)
      -- The key and value are quoted as JSON writes them; a body holding the same text has its quotes escaped.
      local at = string.find(json, from, 1, true)
      if entry.seq == seq and entry.recipient == ARGV[1] and entry.handling == ARGV[2] and at then
        redis.call('LSET', KEYS[1], seq - first, string.sub(json, 1, at - 1) .. to .. string.sub(json, at + #from))
        marked = marked + 1
      end
    end
  end
  return marked
end)
