-- The prelude of every Switchboard script: LuaScript prepends this file to each script before loading it,
-- because Redis scripts cannot include one another. Every key a script touches arrives in KEYS, and all of
-- them share one hash tag, so each script runs on one Redis Cluster node.

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

-- JSON null decodes to cjson.null, which is true in Lua: absent and null read alike through this.
local function non_null(v)
  if v == cjson.null then
    return nil
  end
  return v
end

-- Java's String.compareTo for the ids and attribute strings compared here: Lua's < follows the server's
-- locale. Byte order of UTF-8 is code point order, which is UTF-16 order outside the surrogate range.
local function compare_strings(a, b)
  if a == b then
    return 0
  end
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y and -1 or 1
    end
  end
  return #a < #b and -1 or 1
end

-- A whole number as Java prints a long (tostring would switch to exponent notation).
local function integer_text(n)
  return string.format('%.0f', n)
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
  local routing = redis.call('HGET', definition_key, 'routing')
  return routing and cjson.decode(routing).members or {}
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

-- Adds a record to a history list kept newest first (a record goes before those at most as new), keeping
-- the newest `limit`.
local function insert_history(key, record, limit)
  local ts = cjson.decode(record).ts
  local head = redis.call('LINDEX', key, 0)
  if not head or cjson.decode(head).ts <= ts then
    redis.call('LPUSH', key, record)
  else
    local records = redis.call('LRANGE', key, 0, -1)
    local at = 1
    while at <= #records and cjson.decode(records[at]).ts > ts do
      at = at + 1
    end
    table.insert(records, at, record)
    redis.call('DEL', key)
    redis.call('RPUSH', key, unpack(records))
  end
  redis.call('LTRIM', key, 0, limit - 1)
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
