-- Counts an open of this source as pending unless it already has `limit` pending opens to the destination
-- (for an open already pending, only its end moves); pending opens past their end are forgotten first.
--
-- KEYS of the source: pending opens (hash conversation -> "destination\nuntil")
-- ARGV: destination, conversation, limit, now, until
-- Returns 1 when counted, 0 when the source has too many.
return run(function()
  local destination, now = ARGV[1], tonumber(ARGV[4])
  if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
    redis.call('HSET', KEYS[1], ARGV[2], destination .. '\n' .. ARGV[5])
    return 1
  end
  local pending = redis.call('HGETALL', KEYS[1])
  local to_destination = 0
  for i = 1, #pending, 2 do
    local open = split_lines(pending[i + 1])
    if tonumber(open[2]) <= now then
      redis.call('HDEL', KEYS[1], pending[i])
    elseif open[1] == destination then
      to_destination = to_destination + 1
    end
  end
  if to_destination >= tonumber(ARGV[3]) then
    return 0
  end
  redis.call('HSET', KEYS[1], ARGV[2], destination .. '\n' .. ARGV[5])
  return 1
end)
