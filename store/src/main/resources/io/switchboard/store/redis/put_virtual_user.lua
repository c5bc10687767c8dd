-- Stores a virtual user's definition with its members' snapshots, and forgets the copies of members it no
-- longer has. The definition's revision grows with every change, so nodes can cache what they parsed of it.
--
-- KEYS of the virtual user: definition, members (profiles), status, revisions
-- ARGV: definition JSON, members (one per line), history retention (ms), then per member: id, revision,
--       profile, status
-- Returns the members it no longer has.
return run(function()
  local previous = members_of(KEYS[1])
  local retention = math.max(tonumber(ARGV[3]), tonumber(redis.call('HGET', KEYS[1], 'retention') or '0'))
  redis.call('HSET', KEYS[1], 'json', ARGV[1], 'members', ARGV[2], 'retention', integer_text(retention))
  redis.call('HINCRBY', KEYS[1], 'revision', 1)
  local current = {}
  for i = 4, #ARGV, 4 do
    current[ARGV[i]] = true
    apply_snapshot(KEYS[2], KEYS[3], KEYS[4], ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
  end
  local removed = {}
  for _, member in ipairs(previous) do
    if not current[member] then
      removed[#removed + 1] = member
      redis.call('HDEL', KEYS[2], member)
      redis.call('HDEL', KEYS[3], member)
      redis.call('HDEL', KEYS[4], member)
    end
  end
  return removed
end)
