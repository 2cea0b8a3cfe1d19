-- Conflict policy for every record kind without its own file here
-- (customer, stock_count, transfer, ...): the shipped defaults.
-- To change one kind, add conflict/<kind>.lua defining resolve().
local defaults = require "conflict_defaults"

function resolve(kind, mine, theirs, base)
  return defaults.resolve(kind, mine, theirs, base)
end
