-- The stored values of the first entries of a virtual user's queue, head first.
--
-- KEYS of the virtual user: queue, queue entries
-- ARGV: how many
return run(function()
  return queue_values(KEYS[1], KEYS[2], 0, tonumber(ARGV[1]) - 1)
end)
