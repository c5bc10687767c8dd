-- A party's side of a conversation being closed: it leaves the party's conversations and closings, and what the
-- party held for it (the agent's load) is given back. Safe to repeat.
--
-- KEYS of the party: conversations, closings, holdings, load, sessions
-- ARGV: conversation
-- Returns the gateways holding the party's sessions, where its closed event goes.
return run(function()
  redis.call('SREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  release_holding(KEYS[3], KEYS[4], ARGV[1], nil)
  return redis.call('HVALS', KEYS[5])
end)
