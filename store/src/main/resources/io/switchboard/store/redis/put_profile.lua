-- Stores a user's profile and capacity and returns its new snapshot and virtual users, whose copies the caller
-- refreshes.
--
-- KEYS of the user: profile, presence, revision, virtual users, capacity
-- ARGV: profile JSON, capacity ('' for unlimited)
-- Returns {revision, profile, status, virtual users}.
return run(function()
  redis.call('SET', KEYS[1], ARGV[1])
  if ARGV[2] == '' then
    redis.call('DEL', KEYS[5])
  else
    redis.call('SET', KEYS[5], ARGV[2])
  end
  next_revision(KEYS[3])
  local result = snapshot(KEYS[1], KEYS[2], KEYS[3])
  result[4] = redis.call('SMEMBERS', KEYS[4])
  return result
end)
