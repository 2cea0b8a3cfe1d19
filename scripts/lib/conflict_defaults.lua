-- conflict_defaults: the default conflict policies (docs/rules.md).
--
-- Records of kind customer and transfer look like
--   { id = "c-1", fields = { name = "Ann", email = "ann@example.com" },
--     hlc = { name = "001732233600000-00000-store-1", email = "..." } }
-- where hlc[f] is the hybrid-logical-clock stamp of the last write of field
-- f (stamps compare as strings). A field stamped in hlc but absent from
-- fields was deleted at that stamp. Stock counts look like
--   { sku = "LATTE", location = "main", qty_milli = 12000 }
--
-- Policies are pure: no clock, no randomness, no I/O. Whichever side calls
-- (store or HQ, local and remote swapped) gets the same merged record.
local M = {}

local function stamp(record, field)
  local hlc = record.hlc
  return (hlc and hlc[field]) or ""
end

local function field_value(record, field)
  local fields = record.fields
  return fields and fields[field]
end

-- Per-field last-writer-wins by HLC stamp.
function M.last_writer_wins(mine, theirs)
  local merged = { fields = {}, hlc = {} }
  for key, value in pairs(mine) do
    if key ~= "fields" and key ~= "hlc" then merged[key] = value end
  end
  for key, value in pairs(theirs) do
    if key ~= "fields" and key ~= "hlc" and merged[key] == nil then merged[key] = value end
  end
  local names = {}
  for _, record in ipairs({ mine, theirs }) do
    for name in pairs(record.fields or {}) do names[name] = true end
    for name in pairs(record.hlc or {}) do names[name] = true end
  end
  for name in pairs(names) do
    local mine_stamp, their_stamp = stamp(mine, name), stamp(theirs, name)
    local winner
    if mine_stamp > their_stamp then
      winner = mine
    elseif their_stamp > mine_stamp then
      winner = theirs
    else
      -- Same stamp: the same write seen twice, or clocks that collided;
      -- break the tie on the value's text so both sides agree.
      if tostring(field_value(mine, name)) >= tostring(field_value(theirs, name)) then
        winner = mine
      else
        winner = theirs
      end
    end
    local s = stamp(winner, name)
    if s ~= "" then merged.hlc[name] = s end
    merged.fields[name] = field_value(winner, name)
  end
  return merged
end

-- Stock counts: both sides counted movements since the base, so the merged
-- quantity is base + (mine - base) + (theirs - base).
function M.summed_deltas(mine, theirs, base)
  if type(mine.qty_milli) ~= "number" then error("stock_count: local record has no qty_milli") end
  if type(theirs.qty_milli) ~= "number" then error("stock_count: remote record has no qty_milli") end
  local base_qty = (base and base.qty_milli) or 0
  local merged = {}
  for key, value in pairs(mine) do merged[key] = value end
  merged.qty_milli = mine.qty_milli + theirs.qty_milli - base_qty
  return merged
end

-- Transfer status only moves forward; "sent" beats "cancelled" (the goods
-- already left). Other fields: last writer wins.
M.TRANSFER_ORDER = { draft = 1, requested = 2, approved = 3, cancelled = 4, sent = 5, received = 6, closed = 7 }

local function rank(status, side)
  local r = M.TRANSFER_ORDER[status]
  if r == nil then error("transfer: unknown status '" .. tostring(status) .. "' on the " .. side .. " record") end
  return r
end

function M.monotonic_status(mine, theirs)
  local merged = M.last_writer_wins(mine, theirs)
  local mine_status, their_status = field_value(mine, "status"), field_value(theirs, "status")
  local mine_rank, their_rank = rank(mine_status, "local"), rank(their_status, "remote")
  local winner = mine
  if their_rank > mine_rank then winner = theirs end
  if their_rank == mine_rank and stamp(theirs, "status") > stamp(mine, "status") then winner = theirs end
  merged.fields.status = field_value(winner, "status")
  local s = stamp(winner, "status")
  merged.hlc.status = (s ~= "" and s) or nil
  return merged
end

function M.resolve(kind, mine, theirs, base)
  if kind == "stock_count" then return M.summed_deltas(mine, theirs, base) end
  if kind == "transfer" then return M.monotonic_status(mine, theirs) end
  return M.last_writer_wins(mine, theirs)
end

return M
