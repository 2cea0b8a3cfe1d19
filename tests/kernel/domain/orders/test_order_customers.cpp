// Orders and the customer directory: a customer given to an order must exist
// and be active; a tax-exempt customer takes the tax off the order (and off
// its returns and exchanges), and taking the customer away puts it back.
#include <catch2/catch.hpp>

#include "domain/customers/customer_service.hpp"
#include "orders_world.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::orders;

namespace {

struct Fixture {
    test::DomainFixture f;
    test::SalesWorld w{f};
    customers::CustomerService directory{f.ctx(), w.people, w.audit};
    Authorization alice;
    Fixture() {
        REQUIRE(directory.start().ok());
        w.orders.use_customers(directory);
        w.seed_catalog();
        alice = w.as("alice");
    }
    std::string customer(bool exempt) {
        customers::NewCustomer c;
        c.given_name = exempt ? "Charity" : "Dana";
        c.family_name = "Shop";
        c.tax_exempt = exempt;
        c.tax_exempt_reference = exempt ? "EX-1234" : "";
        auto made = directory.create(customers::Actor::from(w.as("bob")), c);
        INFO((made ? std::string() : made.error().message));
        REQUIRE(made);
        return made->id;
    }
    Order add_shirt(const Order& o) {
        AddLineRequest r;
        r.sku = "SHIRT";
        auto a = w.orders.add_line(o.order_id, o.version, r, alice, w.permit_for(alice));
        REQUIRE(a);
        return *a;
    }
};

}  // namespace

TEST_CASE("an exempt customer's order carries no tax, removing the customer taxes it again", "[orders][customers]") {
    Fixture x;
    const std::string exempt = x.customer(true);
    auto opened = x.w.orders.open_order(x.alice, {"retail", exempt, sdk::Value::map()});
    REQUIRE(opened);
    CHECK(opened->tax_exempt);
    Order o = x.add_shirt(*opened);
    CHECK(o.totals.tax_minor == 0);
    CHECK(o.totals.total_minor == 2000);  // the shelf price, with no tax in it

    ChangeOrderRequest clear;
    clear.customer_id = "";
    auto taxed = x.w.orders.change_order(o.order_id, o.version, clear, x.alice, x.w.permit_for(x.alice));
    REQUIRE(taxed);
    CHECK_FALSE(taxed->tax_exempt);
    CHECK(taxed->totals.tax_minor == 333);  // VAT 20% inside 20.00
    CHECK(taxed->totals.total_minor == 2000);

    const std::string plain = x.customer(false);
    ChangeOrderRequest set;
    set.customer_id = plain;
    auto with_plain = x.w.orders.change_order(o.order_id, taxed->version, set, x.alice, x.w.permit_for(x.alice));
    REQUIRE(with_plain);
    CHECK(with_plain->customer_id == plain);
    CHECK(with_plain->totals.tax_minor == 333);
}

TEST_CASE("unknown or deactivated customers are refused naming $.customer_id", "[orders][customers]") {
    Fixture x;
    auto unknown = x.w.orders.open_order(x.alice, {"retail", "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", sdk::Value::map()});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "invalid_argument");
    CHECK(unknown.error().message.rfind("$.customer_id: no customer", 0) == 0);

    const std::string gone = x.customer(false);
    auto current = x.directory.get(gone);
    REQUIRE(current);
    REQUIRE(*current);
    REQUIRE(x.directory.deactivate(customers::Actor::from(x.w.as("carol")), gone, (*current)->version));
    auto refused = x.w.orders.open_order(x.alice, {"retail", gone, sdk::Value::map()});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("deactivated") != std::string::npos);
}
