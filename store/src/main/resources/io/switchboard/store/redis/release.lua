-- Gives back what a member holds for a conversation (reserved or open); with a node, only that node's
-- router's reservation, which a conversation opened since then no longer is.
--
-- KEYS of the member: holdings, load
-- ARGV: conversation, node ('' for any)
-- Returns 1 when something was given back, else 0.
return run(function()
  return release_holding(KEYS[1], KEYS[2], ARGV[1], ARGV[2] ~= '' and ARGV[2] or nil) and 1 or 0
end)
