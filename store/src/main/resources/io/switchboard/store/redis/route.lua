-- Routes one conversation to a member of a virtual user, in one atomic step (SPEC.md §3): reads the
-- definition, the members' profiles, status, load and last assignment, the history between source and
-- destination and the round-robin cursor; runs the policy chain as io.switchboard.routing.PolicyChain does
-- (RedisRoutingParityTest holds the two together); reserves one unit of load on the member selected and
-- records the decision.
--
-- KEYS: definition, members (profiles), status, load, assigned, round-robin cursor, decisions, history
--       between this source and the virtual user
-- ARGV: conversation, source, destination, now, excluded (JSON array), source position (JSON or ''),
--       source attributes (JSON), decisions kept
-- Returns {'not_virtual'}; {'unavailable', status, definition JSON};
--         or {'routed', status, definition JSON, decision JSON}.
return run(function()
  local definition = redis.call('HMGET', KEYS[1], 'json', 'routing', 'retention')
  if not definition[1] then
    return {'not_virtual'}
  end
  local plan = cjson.decode(definition[2])
  local status = aggregate(plan.members, KEYS[3])
  local available = {}
  for _, name in ipairs(plan.available) do
    available[name] = true
  end
  if not available[status] then
    return {'unavailable', status, definition[1]}
  end

  local conversation, source, destination, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
  local excluded = {}
  for _, id in ipairs(cjson.decode(ARGV[5])) do
    excluded[id] = true
  end
  local source_geo = ARGV[6] ~= '' and cjson.decode(ARGV[6]) or nil
  local source_attributes = cjson.decode(ARGV[7])

  -- The members as Candidates, in directory order.
  local ids = plan.members
  local candidates, by_id = {}, {}
  if #ids > 0 then
    local profiles = redis.call('HMGET', KEYS[2], unpack(ids))
    local statuses = redis.call('HMGET', KEYS[3], unpack(ids))
    local loads = redis.call('HMGET', KEYS[4], unpack(ids))
    local assigned = redis.call('HMGET', KEYS[5], unpack(ids))
    for i, id in ipairs(ids) do
      local profile = profiles[i] and cjson.decode(profiles[i]) or {}
      local candidate = {
        id = id,
        geo = non_null(profile.geo),
        attributes = non_null(profile.attributes) or {},
        max = non_null(profile.maxConversations),
        status = statuses[i] or 'offline',
        load = tonumber(loads[i] or '0'),
        assigned = tonumber(assigned[i] or '0')
      }
      candidates[i] = candidate
      by_id[id] = candidate
    end
  end

  -- The history younger than the retention, newest first; older records are dropped for good.
  local history = {}
  local oldest_kept = now - tonumber(definition[3])
  for i, json in ipairs(redis.call('LRANGE', KEYS[8], 0, -1)) do
    local record = cjson.decode(json)
    if record.ts <= oldest_kept then
      if i == 1 then
        redis.call('DEL', KEYS[8])
      else
        redis.call('LTRIM', KEYS[8], 0, i - 2)
      end
      break
    end
    history[#history + 1] = record
  end

  -- PolicyChain.TIE_BREAK: fewest open conversations, then least recently assigned, then id.
  local function ranks_before(a, b)
    if a.load ~= b.load then
      return a.load < b.load
    end
    if a.assigned ~= b.assigned then
      return a.assigned < b.assigned
    end
    return compare_strings(a.id, b.id) < 0
  end

  -- Why a member cannot take this conversation now, or nil when it can.
  local function unfit(c)
    if c.id == source then
      return c.id .. ' is the source itself'
    end
    if excluded[c.id] then
      return c.id .. ' was already offered this conversation'
    end
    if not available[c.status] then
      return c.id .. ' is ' .. c.status
    end
    if c.max and c.load >= c.max then
      return c.id .. ' is at capacity (' .. integer_text(c.load) .. ' of ' .. integer_text(c.max) .. ')'
    end
    return nil
  end

  local function eligible()
    local fit = {}
    for _, c in ipairs(candidates) do
      if not unfit(c) then
        fit[#fit + 1] = c
      end
    end
    return fit
  end

  local function selected(id, reason)
    return {selected = id, reason = reason}
  end

  local function passed(reason)
    return {reason = reason}
  end

  local function best_of(list)
    local best
    for _, c in ipairs(list) do
      if not best or ranks_before(c, best) then
        best = c
      end
    end
    return best
  end

  local function least_load(list, why_none, qualifier)
    local best = best_of(list)
    if not best then
      return passed(why_none)
    end
    return selected(best.id, best.id .. qualifier .. ' has the least load (' .. integer_text(best.load) .. ')')
  end

  -- Geo.distanceKm (haversine), from a member's position to the source's.
  local function distance_km(from, to)
    local d_lat = math.rad(to.lat - from.lat)
    local d_lon = math.rad(to.lon - from.lon)
    local a = math.sin(d_lat / 2) ^ 2 + math.cos(math.rad(from.lat)) * math.cos(math.rad(to.lat)) * math.sin(d_lon / 2) ^ 2
    return 2 * 6371.0088 * math.asin(math.min(1, math.sqrt(a)))
  end

  local function nearest(list, why_none)
    if not source_geo then
      return passed('the source has no position (no context.geo and none in its profile)')
    end
    if #list == 0 then
      return passed(why_none)
    end
    local best, best_distance
    for _, c in ipairs(list) do
      if c.geo then
        local distance = distance_km(c.geo, source_geo)
        if not best or distance < best_distance or (distance == best_distance and ranks_before(c, best)) then
          best, best_distance = c, distance
        end
      end
    end
    if not best then
      return passed('no member that can take it has a position')
    end
    return selected(best.id, string.format('%s is nearest (%.1f km)', best.id, best_distance))
  end

  local function sticky(step)
    local oldest = now - step.expirationMs
    local valid = {}
    for _, record in ipairs(history) do
      if record.ts > oldest then
        valid[#valid + 1] = record
      end
    end
    if #valid == 0 then
      return passed('no history record younger than ' .. step.expiration)
    end
    -- latest considers the newest record's sub-users; nearest every sub-user of any valid record.
    local handlers, seen = {}, {}
    local considered = step.among == 'latest' and {valid[1]} or valid
    for _, record in ipairs(considered) do
      for _, handler in ipairs(record.subUsers) do
        if not seen[handler] then
          seen[handler] = true
          handlers[#handlers + 1] = handler
        end
      end
    end
    local reasons, fit = {}, {}
    for _, handler in ipairs(handlers) do
      local candidate = by_id[handler]
      if not candidate then
        reasons[#reasons + 1] = handler .. ' is no longer a member'
      else
        local why = unfit(candidate)
        if why then
          reasons[#reasons + 1] = why
        else
          fit[#fit + 1] = candidate
        end
      end
    end
    local unfit_reasons = #reasons == 0 and '' or ' (' .. table.concat(reasons, '; ') .. ')'
    if step.among == 'nearest' then
      return nearest(fit, 'no member with a valid record can take it' .. unfit_reasons)
    end
    local latest = integer_text(valid[1].ts)
    if #fit == 0 then
      return passed('the latest record (' .. latest .. ') names no member that can take it' .. unfit_reasons)
    end
    local best = best_of(fit)
    return selected(best.id, best.id .. ' handled the latest record (' .. latest .. ')')
  end

  -- Condition.same: numbers compare as numbers, anything else by equality (arrays and objects element-wise).
  local function same(a, b)
    if type(a) == 'number' and type(b) == 'number' then
      return a == b
    end
    if type(a) ~= type(b) then
      return false
    end
    if type(a) ~= 'table' then
      return a == b
    end
    for k, v in pairs(a) do
      if b[k] == nil or not same(v, b[k]) then
        return false
      end
    end
    for k in pairs(b) do
      if a[k] == nil then
        return false
      end
    end
    return true
  end

  local function is_array(t)
    return type(t) == 'table' and (next(t) == nil or t[1] ~= nil)
  end

  -- Condition.ordered: two numbers or two strings; any other pair satisfies no ordering.
  local function order(a, b)
    if type(a) == 'number' and type(b) == 'number' then
      return a < b and -1 or (a > b and 1 or 0)
    end
    if type(a) == 'string' and type(b) == 'string' then
      return compare_strings(a, b)
    end
    return nil
  end

  local ORDERED = {
    ['<'] = function(o) return o < 0 end,
    ['<='] = function(o) return o <= 0 end,
    ['>'] = function(o) return o > 0 end,
    ['>='] = function(o) return o >= 0 end
  }

  -- Condition.test: whether `attributes` satisfy the condition; the source's attributes supply sourceAttribute.
  local function satisfies(condition, attributes)
    local actual = non_null(attributes[condition.attribute])
    local expected
    if non_null(condition.sourceAttribute) then
      expected = non_null(source_attributes[condition.sourceAttribute])
    else
      expected = non_null(condition.value)
    end
    if actual == nil or expected == nil then
      return false
    end
    local op = condition.op
    if op == '=' then
      return same(actual, expected)
    elseif op == '!=' then
      return not same(actual, expected)
    elseif ORDERED[op] then
      local o = order(actual, expected)
      return o ~= nil and ORDERED[op](o)
    elseif op == 'in' then
      if not is_array(expected) then
        return false
      end
      for _, option in ipairs(expected) do
        if same(actual, option) then
          return true
        end
      end
      return false
    elseif op == 'contains' then
      if is_array(actual) then
        for _, item in ipairs(actual) do
          if same(item, expected) then
            return true
          end
        end
        return false
      end
      return type(actual) == 'string' and type(expected) == 'string' and string.find(actual, expected, 1, true) ~= nil
    end
    return false
  end

  local function match(step)
    for _, condition in ipairs(step.when) do
      if not satisfies(condition, source_attributes) then
        return passed('the source does not satisfy ' .. condition.text)
      end
    end
    local matching = {}
    for _, c in ipairs(eligible()) do
      local all = true
      for _, condition in ipairs(step.select) do
        if not satisfies(condition, c.attributes) then
          all = false
          break
        end
      end
      if all then
        matching[#matching + 1] = c
      end
    end
    return least_load(matching, 'no available member under capacity satisfies ' .. step.selectText,
      ' satisfies ' .. step.selectText .. ' and')
  end

  local last_in_turn = redis.call('GET', KEYS[6])

  local function round_robin()
    local n = #candidates
    local last = -1
    for i, c in ipairs(candidates) do
      if c.id == last_in_turn then
        last = i - 1
      end
    end
    for offset = 1, n do
      local candidate = candidates[(last + offset) % n + 1]
      if not unfit(candidate) then
        return selected(candidate.id, candidate.id .. ' is next in turn' .. (last_in_turn and (' after ' .. last_in_turn) or ''))
      end
    end
    return passed('no member is available and under capacity')
  end

  local function run_step(step)
    if step.type == 'sticky' then
      return sticky(step)
    elseif step.type == 'least-load' then
      return least_load(eligible(), 'no member is available and under capacity', '')
    elseif step.type == 'nearest' then
      return nearest(eligible(), 'no member is available and under capacity')
    elseif step.type == 'match' then
      return match(step)
    elseif step.type == 'round-robin' then
      return round_robin()
    end
    error('no implementation for step ' .. tostring(step.type))
  end

  local trace, chosen, deciding = {}, nil, nil
  for _, step in ipairs(plan.chain) do
    local result = run_step(step)
    trace[#trace + 1] = {step = step.type, result = result.selected and 'selected' or 'passed', reason = result.reason}
    if result.selected then
      chosen, deciding = result.selected, step.type
      break
    end
  end

  if chosen then
    redis.call('HINCRBY', KEYS[4], chosen, 1)
    if deciding == 'round-robin' then
      redis.call('SET', KEYS[6], chosen)
    end
  end
  local decision = cjson.encode({
    ts = now, conversation = conversation, source = source, destination = destination,
    selected = chosen or cjson.null, step = deciding or cjson.null, trace = trace
  })
  redis.call('LPUSH', KEYS[7], decision)
  redis.call('LTRIM', KEYS[7], 0, tonumber(ARGV[8]) - 1)
  return {'routed', status, definition[1], decision}
end)
