-- Bundle: buying a product of a bundle offers its partner at the bundle
-- price.
local basket = require "basket"

local BUNDLES = {
  ["PRN-100"] = { sku = "INK-100-XL", price_minor = 1999, reason = "Printer + XL ink bundle" },
  ["CAM-200"] = { sku = "SD-64", price_minor = 999, reason = "Camera + 64 GB card bundle" },
}

function upsell(cart, ctx)
  local suggestions = {}
  for _, line in ipairs(cart.lines) do
    local bundle = BUNDLES[line.sku]
    if bundle and not basket.has_sku(cart, bundle.sku) then
      suggestions[#suggestions + 1] = {
        sku = bundle.sku, reason = bundle.reason, price_minor = bundle.price_minor, priority = 60 }
    end
  end
  return suggestions
end
