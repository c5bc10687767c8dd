-- Takes some of a user's held messages, oldest first; the others stay held in their order. When any is taken, the
-- held list's count of refused messages starts again from 0.
--
-- KEYS of the user: the held list, refused counts
-- ARGV: the messages to take, as pairs of conversation id and seq
-- Returns the messages taken (event JSON), which a concurrent release may have made fewer.
return run(function()
  local wanted = {}
  for i = 1, #ARGV, 2 do
    wanted[ARGV[i] .. '\n' .. ARGV[i + 1]] = true
  end
  local taken, kept = {}, {}
  for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
    local event = cjson.decode(item)
    if wanted[event.conversation .. '\n' .. integer_text(event.seq)] then
      taken[#taken + 1] = item
    else
      kept[#kept + 1] = item
    end
  end
  if #taken > 0 then
    redis.call('DEL', KEYS[1])
    -- unpack passes at most a few thousand values at once
    for i = 1, #kept, 1000 do
      redis.call('RPUSH', KEYS[1], unpack(kept, i, math.min(i + 999, #kept)))
    end
    redis.call('HDEL', KEYS[2], 'held')
  end
  return taken
end)
