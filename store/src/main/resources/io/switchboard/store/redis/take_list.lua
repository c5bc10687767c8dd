-- Takes every element of a user's mailbox or held list, oldest first, and empties it, with counts of refused
-- messages that start again from 0: the list's own (how many it refused since it was last emptied) and any others
-- taken with it.
--
-- KEYS of the user: the list, refused counts
-- ARGV: the names of the counts to take: the list's (mailbox or held), then others (held-unseen)
-- Returns {items, each count in the order asked}.
return run(function()
  local taken = {redis.call('LRANGE', KEYS[1], 0, -1)}
  redis.call('DEL', KEYS[1])
  for _, name in ipairs(ARGV) do
    taken[#taken + 1] = tonumber(redis.call('HGET', KEYS[2], name) or '0')
    redis.call('HDEL', KEYS[2], name)
  end
  return taken
end)
