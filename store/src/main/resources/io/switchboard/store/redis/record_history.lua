-- Adds history records between one source and one destination and, for a conversation just opened, marks
-- its agent as just assigned. The list expires when nothing was added for the retention (SPEC.md §3:
-- at least 30 days and twice the longest sticky expiration of the destination's policies).
--
-- KEYS of the destination: definition, history between the source and it, assigned
-- ARGV: minimum retention (ms), history limit, agent ('' for none), assigned at, then the records (JSON)
return run(function()
  local retention = math.max(tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[1], 'retention') or '0'))
  for i = 5, #ARGV do
    insert_history(KEYS[2], ARGV[i], tonumber(ARGV[2]))
  end
  redis.call('PEXPIRE', KEYS[2], integer_text(retention))
  if ARGV[3] ~= '' then
    redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  end
  return true
end)
