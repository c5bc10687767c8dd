-- The recipient's side of a message, on Redis Cluster where it cannot share append.lua's step (see
-- recipient_side): the message is numbered already, so a refusal is marked in the transcript afterwards.
--
-- KEYS of the recipient: sessions, mailbox or held list, refused counts
-- ARGV: handling, message event JSON, list limit
-- Returns {gateways, queued, held count, refused count}.
return run(function()
  local gateways, list, refused = recipient_side(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[3])
  if refused > 0 then
    return {gateways, 0, 0, refused}
  end
  return queue_for(gateways, list, KEYS[2], ARGV[2])
end)
