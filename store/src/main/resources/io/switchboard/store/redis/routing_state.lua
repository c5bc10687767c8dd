-- What one routing decision reads about a virtual user, in one step: its definition (unless the caller already
-- has this revision), members in directory order with their status copies and profile copies (with the revision
-- of each copy, so the caller parses a profile only when it changed), last assignments, the round-robin cursor
-- the history between the source and it, and how many opens wait in its queue. Members' loads live with the members
-- and are read beside this.
--
-- KEYS of the virtual user: definition, members (profiles), status, revisions, assigned, round-robin cursor,
--                           history between the source and it, queue
-- ARGV: the definition revision the caller has parsed ('' for none), how many of the newest history records its
--       policy reads (-1: all, 0: none)
-- Returns nil when it is no virtual user, else {revision, definition JSON or nil when the caller has it, members,
--         statuses, profile revisions, profiles, last assignments, round-robin cursor, history records,
--         history retention, opens waiting in the queue}.
return run(function()
  local definition = redis.call('HMGET', KEYS[1], 'revision', 'json', 'members', 'retention')
  if not definition[2] then
    return false
  end
  local members = split_lines(definition[3])
  local statuses, revisions, profiles, assigned = {}, {}, {}, {}
  if #members > 0 then
    statuses = redis.call('HMGET', KEYS[3], unpack(members))
    revisions = redis.call('HMGET', KEYS[4], unpack(members))
    profiles = redis.call('HMGET', KEYS[2], unpack(members))
    assigned = redis.call('HMGET', KEYS[5], unpack(members))
  end
  -- the caller's count holds for the revision it parsed; for another it cannot know, and gets all
  local history_count = definition[1] == ARGV[1] and tonumber(ARGV[2]) or -1
  local history = {}
  if history_count ~= 0 then
    history = redis.call('LRANGE', KEYS[7], 0, history_count < 0 and -1 or history_count - 1)
  end
  return {
    definition[1] or '0', definition[1] ~= ARGV[1] and definition[2] or false, members, statuses, revisions,
    profiles, assigned, redis.call('GET', KEYS[6]) or false, history,
    definition[4] or '0', redis.call('ZCARD', KEYS[8])
  }
end)
