// Cash in/out with configured reasons, no-sale drawer openings, and what the
// X report shows of them.
#include <catch2/catch.hpp>

#include "plugin_host/capability_registry.hpp"
#include "registers_test_support.hpp"

using namespace till;
using till::test::by;

namespace {
domain::CashMovementRequest cash(domain::CashDirection d, std::int64_t amount, std::string reason,
                                 std::string note = "") {
    return {d, amount, std::move(reason), std::move(note)};
}
}  // namespace

TEST_CASE("cash in and out need a configured reason and a positive amount", "[registers][cash]") {
    test::RegistersUnderTest t(test::Backend::sqlite);
    test::open_register(t.registers, "T1", 10000);
    auto unknown = t.registers.move_cash(by("alice"), "T1", cash(domain::CashDirection::out, 500, "lunch"));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "invalid_argument");
    CHECK(unknown.error().message.rfind("$.reason_code: unknown reason code 'lunch'", 0) == 0);
    CHECK(unknown.error().message.find("bank_drop") != std::string::npos);

    auto zero = t.registers.move_cash(by("alice"), "T1", cash(domain::CashDirection::in, 0, "float_top_up"));
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.error().message.rfind("$.amount_minor: ", 0) == 0);

    auto ok = t.registers.move_cash(by("alice"), "T1", cash(domain::CashDirection::out, 2500, "bank_drop", "safe"));
    REQUIRE(ok.ok());
    CHECK(ok.value()["direction"].as_string() == "out");
    CHECK(ok.value()["amount_minor"].as_int() == 2500);
    CHECK(ok.value()["reason_code"].as_string() == "bank_drop");
    CHECK(ok.value()["drawer"].as_string() == "none");
    CHECK(t.fixture.last_event("register.cash_moved").payload["movement_id"] == ok.value()["movement_id"]);
    CHECK(test::audit_actions(t.trail).back() == "register.cash_move");
}

TEST_CASE("a deployment's own cash movement reasons are the ones accepted", "[registers][cash]") {
    test::RegistersUnderTest t(test::Backend::sqlite);
    t.fixture.sales().cash_movement_reasons = {"tips_out"};
    test::open_register(t.registers, "T1");
    CHECK(t.registers.move_cash(by("a"), "T1", cash(domain::CashDirection::out, 100, "tips_out")).ok());
    CHECK(t.registers.move_cash(by("a"), "T1", cash(domain::CashDirection::out, 100, "bank_drop")).error().code ==
          "invalid_argument");
}

TEST_CASE("the X report shows float, sales, tenders and movements so far, and expected cash",
          "[registers][cash][report]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        const std::string session = test::open_register(t.registers, "T1", 10000);
        domain::OrderTotals orders;
        orders.sales_count = 3;
        orders.sales_gross_minor = 5200;
        orders.sales_discount_minor = 200;
        orders.sales_tax_minor = 833;
        orders.sales_total_minor = 5000;
        orders.returns_count = 1;
        orders.returns_total_minor = 700;
        orders.returns_tax_minor = 117;
        orders.voids_count = 2;
        orders.voids_total_minor = 1234;
        t.totals.set(session, orders,
                     {{"cash", 2, 3000, 1, 700, 150}, {"card", 1, 2000, 0, 0, 300}});
        REQUIRE(t.registers.move_cash(by("a"), "T1", cash(domain::CashDirection::in, 5000, "float_top_up")).ok());
        REQUIRE(t.registers.move_cash(by("a"), "T1", cash(domain::CashDirection::out, 8000, "bank_drop")).ok());
        REQUIRE(t.registers.move_cash(by("a"), "T1", cash(domain::CashDirection::out, 450, "petty_cash")).ok());
        REQUIRE(t.registers.no_sale(by("bob"), "T1", "change for the safe").ok());

        auto x = t.registers.x_report("T1");
        REQUIRE(x.ok());
        const sdk::Value& v = x.value();
        CHECK(v["kind"].as_string() == "x");
        CHECK(v["session_id"].as_string() == session);
        CHECK(v["opening_float_minor"].as_int() == 10000);
        CHECK(v["sales"]["count"].as_int() == 3);
        CHECK(v["sales"]["gross_minor"].as_int() == 5200);
        CHECK(v["sales"]["discount_minor"].as_int() == 200);
        CHECK(v["sales"]["tax_minor"].as_int() == 833);
        CHECK(v["sales"]["total_minor"].as_int() == 5000);
        CHECK(v["sales"]["net_minor"].as_int() == 4167);
        CHECK(v["returns"]["count"].as_int() == 1);
        CHECK(v["returns"]["total_minor"].as_int() == 700);
        CHECK(v["voids"]["count"].as_int() == 2);
        CHECK(v["net_sales_minor"].as_int() == 4300);
        REQUIRE(v["tenders"].size() == 2);
        CHECK(v["tenders"].as_list()[0]["method_id"].as_string() == "card");
        CHECK(v["tenders"].as_list()[1]["net_minor"].as_int() == 3000 - 700 + 150);
        CHECK(v["cash_movements"]["in_minor"].as_int() == 5000);
        CHECK(v["cash_movements"]["out_minor"].as_int() == 8450);
        CHECK(v["cash_movements"]["out_count"].as_int() == 2);
        CHECK(v["cash_movements"]["by_reason"].size() == 3);
        CHECK(v["no_sale_count"].as_int() == 1);
        // float + cash sales − cash refunds + cash tips + in − out
        CHECK(v["expected_cash_minor"].as_int() == 10000 + 3000 - 700 + 150 + 5000 - 8450);

        // Taking an X report changes nothing: the Z of the same session sees the same figures.
        auto z = t.registers.close(by("bob"), "T1", {{1000, 8}, {50, 1}}, "");
        REQUIRE(z.ok());
        CHECK(z.value()["expected_cash_minor"].as_int() == 9000);
        CHECK(z.value()["counted_minor"].as_int() == 8050);
        CHECK(z.value()["variance_minor"].as_int() == -950);
        const sdk::Value& report = z.value()["z_report"]["report"];
        for (const char* key : {"sales", "returns", "voids", "tenders", "cash_movements", "net_sales_minor",
                                "opening_float_minor", "no_sale_count", "expected_cash_minor"})
            CHECK(report[key] == v[key]);
    }
}

TEST_CASE("a no-sale is recorded, audited and asks the register's drawer to open", "[registers][no_sale]") {
    test::RegistersUnderTest t(test::Backend::sqlite);
    auto drawer = std::make_shared<test::CountingDrawer>("T1");
    plugin_host::StagedCapabilities staged;
    staged.devices["T1"] = drawer;
    t.fixture.registry().add("drawer_test", staged);

    // Allowed without an open session (recorded without one).
    auto before = t.registers.no_sale(by("bob"), "T1", "customer needed change");
    REQUIRE(before.ok());
    CHECK(before.value()["session_id"].is_null());
    CHECK(before.value()["drawer"].as_string() == "requested");

    test::open_register(t.registers, "T1");
    auto overridden = by("alice", "T1", "cashier");
    overridden.override_user_id = "bob";
    auto during = t.registers.no_sale(overridden, "T1", "check a note");
    REQUIRE(during.ok());
    CHECK_FALSE(during.value()["session_id"].is_null());
    CHECK(during.value()["authorized_by"].as_string() == "bob");
    CHECK(t.registers.no_sale(by("bob"), "T1", "").error().code == "invalid_argument");

    CHECK(test::wait_for([&] { return drawer->opens.load() == 2; }));
    auto entries = t.trail.list(0, 10);
    REQUIRE(entries.ok());
    int no_sales = 0;
    for (const auto& e : entries.value())
        if (e.action == "drawer.no_sale") {
            ++no_sales;
            if (e.actor_user_id == "alice") CHECK(e.authorized_by == "bob");
        }
    CHECK(no_sales == 2);
    auto x = t.registers.x_report("T1");
    REQUIRE(x.ok());
    CHECK(x.value()["no_sale_count"].as_int() == 1);
    CHECK(t.fixture.topics().front() == "register.no_sale");
}
