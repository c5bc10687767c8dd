-- The prelude of every Switchboard script: Script prepends this file to each script before loading it,
-- because Redis scripts cannot include one another. Every key a script touches arrives in KEYS; on Redis
-- Cluster all of them share one hash tag, so each script runs on one node.

-- A refusal the Java side turns into a SwitchboardException: "SBERR <error code> <message>" (level 0: no
-- position in front).
local function refuse(code, message)
  error('SBERR ' .. code .. ' ' .. message, 0)
end

-- Runs a script's body. Refusals are returned as error replies of their own (raised out of the script, Redis
-- would wrap them in "ERR user_script…script: <sha>"); anything else is a bug or a Redis failure and is raised
-- again.
local function run(body)
  local ok, result = pcall(body)
  if ok then
    return result
  end
  if type(result) == 'string' and string.sub(result, 1, 6) == 'SBERR ' then
    return redis.error_reply(result)
  end
  error(result)
end

-- A whole number as Java prints a long (tostring would switch to exponent notation).
local function integer_text(n)
  return string.format('%.0f', n)
end

-- Splits "a\nb\nc" into {'a', 'b', 'c'} (ids never hold white space); none for ''.
local function split_lines(text)
  local items = {}
  if not text or text == '' then
    return items
  end
  for item in string.gmatch(text, '[^\n]+') do
    items[#items + 1] = item
  end
  return items
end

-- Status.aggregate: the highest-precedence status of the members, offline when there are none.
local PRECEDENCE = {online = 1, busy = 2, away = 3, offline = 4}

local function aggregate(members, status_key)
  local best = 'offline'
  if #members == 0 then
    return best
  end
  local statuses = redis.call('HMGET', status_key, unpack(members))
  for i = 1, #members do
    local status = statuses[i] or 'offline'
    if PRECEDENCE[status] < PRECEDENCE[best] then
      best = status
    end
  end
  return best
end

-- The members of a virtual user from its definition hash, in directory order (none when it has no definition).
local function members_of(definition_key)
  return split_lines(redis.call('HGET', definition_key, 'members'))
end

-- A user's revision: every change of its profile or status gets a greater one, and its copies in virtual
-- users only take a snapshot newer than the one they hold. Taken from the server clock (microseconds) so
-- that it keeps growing even if the counter is lost, and at least one more than the last.
local function next_revision(revision_key)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
  local revision = math.max(now, tonumber(redis.call('GET', revision_key) or '0') + 1)
  redis.call('SET', revision_key, integer_text(revision))
  return integer_text(revision)
end

-- What a virtual user keeps of a member: {revision, profile JSON, status}.
local function snapshot(profile_key, presence_key, revision_key)
  return {
    redis.call('GET', revision_key) or '0',
    redis.call('GET', profile_key) or false,
    redis.call('HGET', presence_key, 'status') or 'offline'
  }
end

-- Applies a member's snapshot to a virtual user's copies unless they hold a newer one. KEYS of the virtual
-- user: members (profiles), status, revisions. Returns whether it was applied.
local function apply_snapshot(members_key, status_key, revisions_key, member, revision, profile, status)
  local held = tonumber(redis.call('HGET', revisions_key, member) or '-1')
  if tonumber(revision) <= held then
    return false
  end
  redis.call('HSET', revisions_key, member, revision)
  if profile and profile ~= '' then
    redis.call('HSET', members_key, member, profile)
  end
  if status == 'offline' then
    redis.call('HDEL', status_key, member)
  else
    redis.call('HSET', status_key, member, status)
  end
  return true
end

-- An open conversation's fields {source, destination, agent, revealAgent, openedAt}; refuses gone for one
-- closed lately and not_found otherwise. KEYS of the conversation: hash, closed marker.
local function existing(conversation_key, closed_key, id)
  local fields = redis.call('HMGET', conversation_key, 'source', 'destination', 'agent', 'revealAgent', 'openedAt')
  if not fields[1] then
    if redis.call('EXISTS', closed_key) == 1 then
      refuse('gone', 'conversation ' .. id .. ' is closed')
    end
    refuse('not_found', 'no conversation ' .. id)
  end
  return fields
end

-- The conversation's fields when `user` is one of its two parties; refuses forbidden otherwise.
local function party_of(conversation_key, closed_key, id, user)
  local fields = existing(conversation_key, closed_key, id)
  if fields[1] ~= user and fields[3] ~= user then
    refuse('forbidden', 'conversation ' .. id .. ' is not yours')
  end
  return fields
end

-- Gives back what a member holds for a conversation (reserved or open), keeping its load count equal to what
-- it holds. KEYS of the member: holdings, load. With `only_by`, only a reservation made by that node's router.
-- Returns whether something was given back.
local function release_holding(holdings_key, load_key, conversation, only_by)
  local holding = redis.call('HGET', holdings_key, conversation)
  if not holding or (only_by and holding ~= only_by) then
    return false
  end
  redis.call('HDEL', holdings_key, conversation)
  redis.call('SET', load_key, redis.call('HLEN', holdings_key))
  return true
end

-- Where a message goes on the recipient's side: the gateways holding its sessions, and the list it joins: its
-- mailbox ('mailbox') for a delivered message while it has no session, its held messages ('held') for a held one,
-- else none (false). A list that already holds `limit` messages refuses it: the refusal is counted under the
-- list's name in the recipient's refused hash, and that count comes third (0 when not refused). A held message
-- refused while the recipient has no session, so no notice reaches it, is also counted under 'held-unseen'.
-- KEYS of the recipient: sessions, mailbox or held list, refused counts.
local function recipient_side(sessions_key, list_key, refused_key, disposition, limit)
  local gateways = redis.call('HVALS', sessions_key)
  local list = false
  if disposition == 'held' then
    list = 'held'
  elseif disposition == 'delivered' and #gateways == 0 then
    list = 'mailbox'
  end
  if list and redis.call('LLEN', list_key) >= tonumber(limit) then
    if list == 'held' and #gateways == 0 then
      redis.call('HINCRBY', refused_key, 'held-unseen', 1)
    end
    return gateways, list, redis.call('HINCRBY', refused_key, list, 1)
  end
  return gateways, list, 0
end

-- Puts the event in the list recipient_side chose. Returns {gateways, queued (1 or 0), held count, refused (0)}.
local function queue_for(gateways, list, list_key, event)
  if not list then
    return {gateways, 0, 0, 0}
  end
  local length = redis.call('RPUSH', list_key, event)
  if list == 'held' then
    return {gateways, 0, length, 0}
  end
  return {gateways, 1, 0, 0}
end

-- Queues (docs/POLICY.md § Queue): a member of a queue's sorted set is '<arrival, 15 digits>:<entry key>', and the
-- entries hash holds '<member>\n<entry JSON>' under the key. The stored values of the members from rank 'from'
-- to rank 'to' (0-based, -1: the last), in order.
local function queue_values(queue_key, entries_key, from, to)
  local members = redis.call('ZRANGE', queue_key, from, to)
  if #members == 0 then
    return {}
  end
  local keys = {}
  for i, member in ipairs(members) do
    keys[i] = string.sub(member, 17)
  end
  return redis.call('HMGET', entries_key, unpack(keys))
end
