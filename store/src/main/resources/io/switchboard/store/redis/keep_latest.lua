-- Sets hash fields to numbers, keeping the larger where a field already has one (an activation's later end, the
-- newest closing).
--
-- KEYS: the hash
-- ARGV: field, number, field, number, …
return run(function()
  for i = 1, #ARGV, 2 do
    local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
    if current == nil or current < tonumber(ARGV[i + 1]) then
      redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    end
  end
  return 0
end)
