-- Claims an id in the directory for a user or a virtual user: one id is never both, and a virtual user's
-- members must be users. The first step of putUser and putVirtualUser, on the one key that knows every id.
--
-- KEYS: directory (hash id -> 'user' | 'virtual')
-- ARGV: 'user' | 'virtual', id, then a virtual user's members
return run(function()
  local kind, id = ARGV[1], ARGV[2]
  local other = kind == 'user' and 'virtual' or 'user'
  if redis.call('HGET', KEYS[1], id) == other then
    refuse('invalid_definition', 'id ' .. id .. ' belongs to a ' .. (other == 'user' and 'user' or 'virtual user'))
  end
  for i = 3, #ARGV do
    if redis.call('HGET', KEYS[1], ARGV[i]) ~= 'user' then
      refuse('invalid_definition', 'member ' .. ARGV[i] .. ' is not a user')
    end
  end
  redis.call('HSET', KEYS[1], id, kind)
  return true
end)
