-- What a user's handling rules read to judge a message in one conversation, in one step.
--
-- KEYS of the user: rules, presence, activations, closings
-- ARGV: conversation id
-- Returns {rules JSON or false, status or false, activity or false, {rule, until, …}, last closing sent or false}.
return run(function()
  local presence = redis.call('HMGET', KEYS[2], 'status', 'activity')
  return {redis.call('GET', KEYS[1]), presence[1], presence[2], redis.call('HGETALL', KEYS[3]),
          redis.call('HGET', KEYS[4], ARGV[1])}
end)
