// ctx.catalog over the catalog module: by SKU (and barcode), by department
// code and by tag (active items, SKU order, limited), variants as items,
// and the index following catalog changes after invalidate().
#include <catch2/catch.hpp>

#include "domain/upsell/catalog_rules.hpp"
#include "domain/upsell/order_cart.hpp"
#include "upsell_world.hpp"

using namespace till;

namespace {
std::vector<std::string> skus(const std::vector<script::CatalogItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.sku);
    return out;
}
}  // namespace

TEST_CASE("catalog lookups for rules follow the catalog", "[upsell][catalog]") {
    test::UpsellWorld x([](const std::string& root) { test::copy_shipped_rules(root); });
    domain::upsell::CatalogRules catalog(x.w.catalog);

    auto croissant = catalog.find_by_sku("CROISSANT");
    REQUIRE(croissant);
    CHECK(croissant->name == "Croissant");
    CHECK(croissant->department == "pastry");
    CHECK(croissant->price_minor == 250);
    CHECK(croissant->tags == std::vector<std::string>{"breakfast"});
    CHECK_FALSE(catalog.find_by_sku("NOPE"));

    CHECK(skus(catalog.find_by_department("pastry", 10)) == std::vector<std::string>{"CROISSANT", "MUFFIN"});
    CHECK(skus(catalog.find_by_department("pastry", 1)) == std::vector<std::string>{"CROISSANT"});
    CHECK(skus(catalog.find_by_tag("breakfast", 10)) == std::vector<std::string>{"CROISSANT", "PORRIDGE"});
    CHECK(catalog.find_by_department("nothing", 10).empty());

    // A new product with variants, and a deactivated one.
    domain::catalog::Actor admin;
    admin.user_id = "seed";
    auto muffin = *x.w.catalog.product(x.w.catalog.lookup_item("MUFFIN")->product_id);
    muffin.active = false;
    REQUIRE(x.w.catalog.update_product(muffin.product_id, muffin, admin).ok());
    domain::catalog::Product danish;
    danish.sku = "DANISH";
    danish.name = "Danish";
    danish.department_id = muffin.department_id;
    danish.tax_class_id = muffin.tax_class_id;
    danish.price_minor = 300;
    danish.track_stock = false;
    danish.tags = {"breakfast"};
    domain::catalog::Variant apple;
    apple.sku = "DANISH-APPLE";
    apple.name = "apple";
    apple.price_minor = 310;
    danish.variants.push_back(apple);
    REQUIRE(x.w.catalog.create_product(danish, admin).ok());

    // Unchanged until invalidated (the upsell service does it on catalog.* events).
    CHECK(skus(catalog.find_by_department("pastry", 10)) == std::vector<std::string>{"CROISSANT", "MUFFIN"});
    catalog.invalidate();
    CHECK(skus(catalog.find_by_department("pastry", 10)) == std::vector<std::string>{"CROISSANT", "DANISH-APPLE"});
    CHECK(skus(catalog.find_by_tag("breakfast", 10)) ==
          std::vector<std::string>{"CROISSANT", "DANISH-APPLE", "PORRIDGE"});
    auto variant = catalog.find_by_tag("breakfast", 10)[1];
    CHECK(variant.price_minor == 310);
    CHECK(variant.department == "pastry");
    auto inactive = catalog.find_by_sku("MUFFIN");
    REQUIRE(inactive);
    CHECK_FALSE(inactive->active);
}

TEST_CASE("the cart rules see is the order's live lines with department codes and tags", "[upsell][cart]") {
    test::UpsellWorld x;
    domain::upsell::CatalogRules catalog(x.w.catalog);
    auto order = x.add_line(x.add_line(x.open_order(), "LATTE"), "CROISSANT");
    auto cart = domain::upsell::cart_from_order(order, catalog);
    CHECK(cart.order_id == order["order_id"].as_string());
    CHECK(cart.order_type == "retail");
    REQUIRE(cart.lines.size() == 2);
    CHECK(cart.lines[0].sku == "LATTE");
    CHECK(cart.lines[0].department == "coffee");
    CHECK(cart.lines[0].tags == std::vector<std::string>{"hot"});
    CHECK(cart.lines[0].qty_milli == 1000);
    CHECK(cart.lines[0].unit_price_minor == 320);
    CHECK(cart.lines[1].department == "pastry");
    CHECK(cart.total_minor == 570);
    CHECK(domain::upsell::takes_suggestions(order));

    sdk::Value voided = order;
    voided.set("state", "voided");
    CHECK_FALSE(domain::upsell::takes_suggestions(voided));
}
