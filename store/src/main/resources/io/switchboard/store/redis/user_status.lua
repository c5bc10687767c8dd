-- A common user's status, for routing to it directly: the second call of route() when the destination is
-- not a virtual user.
--
-- KEYS of the user: profile, presence
-- Returns nil when there is no such user, else its status.
return run(function()
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return false
  end
  return redis.call('HGET', KEYS[2], 'status') or 'offline'
end)
