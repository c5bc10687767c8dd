-- Brings a virtual user's copy of one member up to the member's snapshot, unless it already holds a newer
-- one: the per-virtual-user step of every presence change and profile update, safe in any order.
--
-- KEYS of the virtual user: definition, members (profiles), status, revisions
-- ARGV: member, revision, profile JSON ('' to keep the copy), status
-- Returns the virtual user's aggregated status when this step changed it, else nil.
return run(function()
  local members = members_of(KEYS[1])
  local before = aggregate(members, KEYS[3])
  if not apply_snapshot(KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[4]) then
    return false
  end
  local after = aggregate(members, KEYS[3])
  return after ~= before and after or false
end)
