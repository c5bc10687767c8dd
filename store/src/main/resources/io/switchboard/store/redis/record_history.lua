-- Adds history records between one source and one destination and, for a conversation just opened, marks
-- its agent as just assigned. The list keeps the newest `limit` and expires when nothing was added for the
-- destination's retention (at least 30 days and twice the longest sticky expiration its policies ever had);
-- routing reads only the records younger than that.
--
-- KEYS of the destination: definition, history between the source and it, assigned
-- ARGV: minimum retention (ms), history limit, agent ('' for none), assigned at, then the records (JSON)
return run(function()
  local key, limit = KEYS[2], tonumber(ARGV[2])
  local retention = math.max(tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[1], 'retention') or '0'))
  for i = 5, #ARGV do
    -- newest first: a record goes before those at most as new
    local ts = cjson.decode(ARGV[i]).ts
    local head = redis.call('LINDEX', key, 0)
    if not head or cjson.decode(head).ts <= ts then
      redis.call('LPUSH', key, ARGV[i])
    else
      local records = redis.call('LRANGE', key, 0, -1)
      local at = 1
      while at <= #records and cjson.decode(records[at]).ts > ts do
        at = at + 1
      end
      table.insert(records, at, ARGV[i])
      redis.call('DEL', key)
      redis.call('RPUSH', key, unpack(records))
    end
  end
  redis.call('LTRIM', key, 0, limit - 1)
  redis.call('PEXPIRE', key, integer_text(retention))
  if ARGV[3] ~= '' then
    redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  end
  return true
end)
