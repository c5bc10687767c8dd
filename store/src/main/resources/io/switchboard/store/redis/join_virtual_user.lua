-- Makes a user a member of a virtual user on the user's side and returns the user's snapshot for the
-- virtual user's copies. Presence changes from now on reach the virtual user too.
--
-- KEYS of the user: profile, presence, revision, virtual users
-- ARGV: virtual user
-- Returns {revision, profile, status}.
return run(function()
  redis.call('SADD', KEYS[4], ARGV[1])
  return snapshot(KEYS[1], KEYS[2], KEYS[3])
end)
