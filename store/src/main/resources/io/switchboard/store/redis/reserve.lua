-- Reserves one unit of a member's capacity for a conversation it is about to be offered (selection
-- and the load increment are one atomic step): only if its status is available, it is under its capacity, it
-- does not hold this conversation already and it was offered fewer than the rate allows in this second.
--
-- KEYS of the member: presence, capacity, holdings (conversation -> 'open' or the reserving node), load,
--                     offers (hash second, count), sessions
-- ARGV: conversation, node, available statuses (one per line), now (ms), offers per second, member
-- Returns {1, gateways of the member} or {0, why not}.
return run(function()
  local member = ARGV[6]
  local status = redis.call('HGET', KEYS[1], 'status') or 'offline'
  local available = false
  for _, name in ipairs(split_lines(ARGV[3])) do
    if name == status then
      available = true
    end
  end
  if not available then
    return {0, member .. ' is ' .. status}
  end
  if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
    return {0, member .. ' was already offered this conversation'}
  end
  local load = redis.call('HLEN', KEYS[3])
  local capacity = redis.call('GET', KEYS[2])
  if capacity and load >= tonumber(capacity) then
    return {0, member .. ' is at capacity (' .. load .. ' of ' .. capacity .. ')'}
  end
  local second = integer_text(math.floor(tonumber(ARGV[4]) / 1000))
  local window = redis.call('HMGET', KEYS[5], 'second', 'count')
  local offers = window[1] == second and tonumber(window[2]) or 0
  if offers >= tonumber(ARGV[5]) then
    return {0, member .. ' was offered ' .. offers .. ' conversations this second'}
  end
  redis.call('HSET', KEYS[5], 'second', second, 'count', offers + 1)
  redis.call('PEXPIRE', KEYS[5], 2000)
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
  redis.call('SET', KEYS[4], load + 1)
  return {1, redis.call('HVALS', KEYS[6])}
end)
