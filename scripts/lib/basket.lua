-- basket: small helpers for upsell rules.
--   local basket = require "basket"
-- Every function takes the read-only cart that upsell(cart, ctx) receives.
local M = {}

-- True when a line has this SKU.
function M.has_sku(cart, sku)
  for _, line in ipairs(cart.lines) do
    if line.sku == sku then return true end
  end
  return false
end

-- True when a line belongs to this department.
function M.has_department(cart, department)
  for _, line in ipairs(cart.lines) do
    if line.department == department then return true end
  end
  return false
end

-- True when a line carries this tag.
function M.has_tag(cart, tag)
  for _, line in ipairs(cart.lines) do
    for _, t in ipairs(line.tags) do
      if t == tag then return true end
    end
  end
  return false
end

-- Units (qty_milli / 1000) of a department in the cart.
function M.units_in_department(cart, department)
  local qty_milli = 0
  for _, line in ipairs(cart.lines) do
    if line.department == department then qty_milli = qty_milli + line.qty_milli end
  end
  return qty_milli / 1000
end

-- The first catalog item of `items` that is not in the cart yet, or nil.
function M.first_not_in_cart(cart, items)
  for _, item in ipairs(items) do
    if not M.has_sku(cart, item.sku) then return item end
  end
  return nil
end

return M
