-- Combo: a coffee without a pastry gets a pastry offered at the combo price
-- (50 off the catalog price).
local basket = require "basket"

local COMBO_DISCOUNT_MINOR = 50

function upsell(cart, ctx)
  if not basket.has_department(cart, "coffee") or basket.has_department(cart, "pastry") then
    return nil
  end
  local pastry = basket.first_not_in_cart(cart, ctx.catalog.by_department("pastry", 5))
  if pastry == nil then return nil end
  return {
    { sku = pastry.sku,
      reason = "Make it a combo: " .. pastry.name .. " with your coffee",
      price_minor = math.max(pastry.price_minor - COMBO_DISCOUNT_MINOR, 0),
      priority = 50 },
  }
end
