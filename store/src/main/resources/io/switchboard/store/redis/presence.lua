-- A user's side of a presence change (docs/PRODUCT.md §Presence): a session connects or disconnects, or the user sets its
-- status. A connected user is online until it sets another status; its last session ending makes it offline.
--
-- KEYS of the user: sessions (hash session -> gateway), presence (status, activity), revision, profile,
--                   virtual users
-- ARGV: 'connect' | 'disconnect' | 'status', session, gateway or status, activity ('' for none)
-- Returns {the user's new status when it changed (else nil), revision, profile, status, virtual users}.
return run(function()
  local op = ARGV[1]
  local previous = redis.call('HGET', KEYS[2], 'status') or 'offline'
  local status = previous
  if op == 'connect' then
    if redis.call('HSET', KEYS[1], ARGV[2], ARGV[3]) == 1 and redis.call('HLEN', KEYS[1]) == 1 then
      status = 'online'
    end
  elseif op == 'disconnect' then
    if redis.call('HDEL', KEYS[1], ARGV[2]) == 1 and redis.call('HLEN', KEYS[1]) == 0 then
      status = 'offline'
      redis.call('HDEL', KEYS[2], 'activity')
    end
  elseif redis.call('EXISTS', KEYS[1]) == 1 then
    -- only a connected user sets a status
    status = ARGV[3]
    if ARGV[4] == '' then
      redis.call('HDEL', KEYS[2], 'activity')
    else
      redis.call('HSET', KEYS[2], 'activity', ARGV[4])
    end
  end
  local changed = status ~= previous
  if changed then
    if status == 'offline' then
      redis.call('HDEL', KEYS[2], 'status')
    else
      redis.call('HSET', KEYS[2], 'status', status)
    end
    next_revision(KEYS[3])
  end
  local result = snapshot(KEYS[4], KEYS[2], KEYS[3])
  table.insert(result, 1, changed and status or false)
  result[5] = redis.call('SMEMBERS', KEYS[5])
  return result
end)
