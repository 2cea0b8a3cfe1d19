-- Basket threshold: a cart just under the loyalty threshold gets a small
-- add-on (catalog tag "add-on") that takes it over the line.
local THRESHOLD_MINOR = 1000  -- 10.00
local WINDOW_MINOR = 300      -- suggest when within 3.00 of it

local basket = require "basket"

function upsell(cart, ctx)
  local total = cart.totals.total_minor
  if total >= THRESHOLD_MINOR or total < THRESHOLD_MINOR - WINDOW_MINOR then return nil end
  local missing = THRESHOLD_MINOR - total
  for _, item in ipairs(ctx.catalog.by_tag("add-on", 10)) do
    if item.price_minor >= missing and not basket.has_sku(cart, item.sku) then
      return {
        { sku = item.sku,
          reason = string.format("Add %s to reach %d.%02d and earn a loyalty stamp", item.name,
                                 math.floor(THRESHOLD_MINOR / 100), THRESHOLD_MINOR % 100),
          priority = 10 },
      }
    end
  end
  return nil
end
