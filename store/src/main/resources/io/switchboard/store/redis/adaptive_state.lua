-- What the adaptive manager keeps of one user, in one step.
--
-- KEYS of the user: feedback list, observations list, dismissed list
-- Returns {feedback (JSON, oldest first), observations (JSON, oldest first), dismissed keys}.
return run(function()
  return {redis.call('LRANGE', KEYS[1], 0, -1), redis.call('LRANGE', KEYS[2], 0, -1),
          redis.call('LRANGE', KEYS[3], 0, -1)}
end)
