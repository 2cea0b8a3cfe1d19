-- Accessory: a product of a family gets that family's accessories offered
-- (catalog tag "<family>-accessory", e.g. "phones-accessory").
local basket = require "basket"

local FAMILIES = { "phones", "laptops", "cameras" }

function upsell(cart, ctx)
  local suggestions = {}
  for _, family in ipairs(FAMILIES) do
    if basket.has_department(cart, family) then
      for _, item in ipairs(ctx.catalog.by_tag(family .. "-accessory", 3)) do
        if not basket.has_sku(cart, item.sku) then
          suggestions[#suggestions + 1] = {
            sku = item.sku, reason = "Goes with your " .. family:sub(1, -2) .. ": " .. item.name, priority = 20 }
        end
      end
    end
  end
  return suggestions
end
