-- A party's side of a conversation being opened: it joins the party's conversations; the agent's reservation
-- becomes an open conversation (counted in its load all along); the source's open is no longer pending.
--
-- KEYS of the party: conversations, holdings, load, pending opens
-- ARGV: conversation, 'agent' | 'source'
return run(function()
  redis.call('SADD', KEYS[1], ARGV[1])
  if ARGV[2] == 'agent' then
    redis.call('HSET', KEYS[2], ARGV[1], 'open')
    redis.call('SET', KEYS[3], redis.call('HLEN', KEYS[2]))
  else
    redis.call('HDEL', KEYS[4], ARGV[1])
  end
  return true
end)
