-- Hands a conversation to a new agent (a transfer), only while `from` is still its agent: its id, source, openedAt
-- and seq counter stay; its agent, destination and revealAgent change.
--
-- KEYS of the conversation: hash, closed marker
-- ARGV: conversation id, from, source, new agent, new destination, revealAgent
-- Returns the conversation's new fields.
return run(function()
  local fields = existing(KEYS[1], KEYS[2], ARGV[1])
  if fields[3] ~= ARGV[2] or fields[1] ~= ARGV[3] then
    refuse('gone', 'conversation ' .. ARGV[1] .. ' is no longer ' .. ARGV[2] .. "'s")
  end
  redis.call('HSET', KEYS[1], 'agent', ARGV[4], 'destination', ARGV[5], 'revealAgent', ARGV[6])
  return redis.call('HMGET', KEYS[1], 'source', 'destination', 'agent', 'revealAgent', 'openedAt')
end)
