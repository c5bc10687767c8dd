-- Puts back a conversation the store lost, as a party's node knew it, unless it is there; its seq counter goes on
-- after the last seq the node saw.
--
-- KEYS of the conversation: hash, sequence
-- ARGV: source, destination, agent, revealAgent, openedAt, last seq
return run(function()
  if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('HSET', KEYS[1], 'source', ARGV[1], 'destination', ARGV[2], 'agent', ARGV[3], 'revealAgent', ARGV[4],
      'openedAt', ARGV[5])
  end
  if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[6]) then
    redis.call('SET', KEYS[2], ARGV[6])
  end
  return true
end)
