-- Gives back one unit of a member's load in a virtual user; a load never goes below zero.
--
-- KEYS of the virtual user: load
-- ARGV: member
return run(function()
  local load = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
  if load > 1 then
    redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
  elseif load == 1 then
    redis.call('HDEL', KEYS[1], ARGV[1])
  end
  return true
end)
