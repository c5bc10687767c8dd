-- Renews a node's lease and tells whether the node still held it: a lease taken away (the node was judged dead and
-- evicted) is taken anew, and the node must announce its sessions again; while its evictor is still disconnecting
-- them (claim_node), the lease is not taken and the answer says so. Also gives the store's epoch, started with
-- the candidate when there is none (the first use, or a store that lost everything): a node that knew another epoch
-- learns that the store was reset.
--
-- KEYS: node leases (sorted set node -> expiry), epoch, evictions (sorted set node -> until when)
-- ARGV: node, expiry (ms), the epoch the node knew ('' for none), a new epoch if the store has none
-- Returns {1 when the node held its lease, 0 when it had lost it, 2 while it is being evicted; the store's epoch}.
return run(function()
  local epoch = redis.call('GET', KEYS[2])
  if not epoch then
    epoch = ARGV[4]
    redis.call('SET', KEYS[2], epoch)
  end
  local evicting = redis.call('ZSCORE', KEYS[3], ARGV[1])
  if evicting then
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    if tonumber(evicting) > now then
      return {2, epoch}
    end
    redis.call('ZREM', KEYS[3], ARGV[1])
  end
  local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  return {held and 1 or 0, epoch}
end)
