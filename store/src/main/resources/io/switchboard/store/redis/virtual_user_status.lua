-- A virtual user's members with their status and profile copy, for its aggregated status.
--
-- KEYS of the virtual user: definition, members (profiles), status
-- Returns nil when there is no such virtual user, else {members, statuses, profiles}.
return run(function()
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return false
  end
  local members = members_of(KEYS[1])
  if #members == 0 then
    return {members, {}, {}}
  end
  return {members, redis.call('HMGET', KEYS[3], unpack(members)), redis.call('HMGET', KEYS[2], unpack(members))}
end)
