-- An open conversation: {source, destination, agent, revealAgent, openedAt}; refuses gone or not_found.
--
-- KEYS of the conversation: hash, closed marker
-- ARGV: conversation id
return run(function()
  return existing(KEYS[1], KEYS[2], ARGV[1])
end)
