-- Breakfast: in the morning, a cart with no food gets the breakfast items
-- (catalog tag "breakfast") offered.
local basket = require "basket"

function upsell(cart, ctx)
  if ctx.daypart ~= "breakfast" then return nil end
  if basket.has_department(cart, "food") or basket.has_department(cart, "pastry") then return nil end
  local suggestions = {}
  for _, item in ipairs(ctx.catalog.by_tag("breakfast", 3)) do
    if not basket.has_sku(cart, item.sku) then
      suggestions[#suggestions + 1] = { sku = item.sku, reason = "Breakfast: add " .. item.name, priority = 30 }
    end
  end
  return suggestions
end
