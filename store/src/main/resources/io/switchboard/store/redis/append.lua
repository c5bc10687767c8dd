-- Numbers a message of one party, keeps it in the conversation's bounded transcript and, when the recipient's
-- keys are given (a standalone Redis, where one script may reach them), does the recipient's side too
-- (recipient_side, queue_for); on Redis Cluster the recipient's keys hash elsewhere and deliver.lua follows.
-- A message the recipient's full mailbox or held list refuses is neither numbered nor recorded.
-- The transcript entry and the event arrive as JSON text before and after their seq, which only this step knows.
--
-- KEYS of the conversation: hash, closed marker, sequence, transcript; then, optionally, of the recipient:
--      sessions, mailbox or held list, refused counts
-- ARGV: conversation id, sender, transcript limit, entry before seq, entry after seq, handling,
--       event before seq, event after seq, list limit, recipient
-- Returns {the conversation's fields, seq} or, when it did the recipient's side, {the conversation's fields, seq
--         (0 when refused), gateways, queued, held count, refused count}.
return run(function()
  local fields = party_of(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
  -- A recipient that is no longer a party (the conversation was handed on since the caller read it): its side is
  -- left to the caller, who delivers to the party the fields name.
  local recipient_here = #KEYS > 4 and (fields[1] == ARGV[10] or fields[3] == ARGV[10])
  local gateways, list, refused
  if recipient_here then
    gateways, list, refused = recipient_side(KEYS[5], KEYS[6], KEYS[7], ARGV[6], ARGV[9])
    if refused > 0 then
      return {fields, 0, gateways, 0, 0, refused}
    end
  end
  local seq = redis.call('INCR', KEYS[3])
  redis.call('RPUSH', KEYS[4], ARGV[4] .. seq .. ARGV[5])
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[3]), -1)
  if not recipient_here then
    return {fields, seq}
  end
  local side = queue_for(gateways, list, KEYS[6], ARGV[7] .. seq .. ARGV[8])
  return {fields, seq, side[1], side[2], side[3], side[4]}
end)
