// The guarantee: a Z report's totals equal the sum of the session's sales,
// refunds and cash movements, to the cent — with the real orders, payments,
// inventory, people and audit modules, the real order_retail and
// payment_cash plugins, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>

#include "domain/inventory/inventory_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain/registers/totals_slot.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/discovery.hpp"
#include "plugin_host/plugin_host.hpp"
#include "registers_test_support.hpp"
#include "storage/migrations.hpp"
#include "support/temp_dir.hpp"

using namespace till;
namespace fs = std::filesystem;

namespace {

template <class T>
T must(sdk::Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().code + ": " + r.error().message);
    return std::move(r).value();
}
void must(const sdk::Status& s, const char* what) {
    if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.error().code + ": " + s.message());
}

/// Two items at VAT 20% (prices tax-inclusive, the default).
class TwoItems final : public domain::CatalogLookup {
public:
    std::optional<domain::ItemView> find_item(const std::string& sku) const override {
        domain::ItemView item;
        item.sku = sku;
        item.product_id = "p-" + sku;
        item.tax_class_id = "std";
        item.tax_rates = {{"vat20", "VAT 20%", 2000, false}};
        item.track_stock = false;
        if (sku == "COFFEE") {
            item.name = "Coffee";
            item.price_minor = 250;
        } else if (sku == "SHIRT") {
            item.name = "Shirt";
            item.price_minor = 1999;
        } else {
            return std::nullopt;
        }
        return item;
    }
};

/// order_retail and payment_cash, started by a real PluginHost; their order
/// types and payment methods put in the fixture's registry.
class SalesPlugins {
public:
    explicit SalesPlugins(test::DomainFixture& fixture) : fixture_(fixture), dir_("till-registers-plugins") {
        const std::vector<std::string> ids = {"order_retail", "payment_cash"};
        fs::create_directories(dir_.file("plugins"));
        for (const auto& id : ids)
            fs::copy(fs::path(TILL_PLUGIN_BUILD_DIR) / id, fs::path(dir_.file("plugins")) / id,
                     fs::copy_options::recursive);
        log::LogSettings settings;
        settings.file = dir_.file("plugins.log");
        logs_ = must(log::LogManager::create(settings), "log manager");
        must(storage::apply_migrations(fixture.db(), "kernel", storage::kernel_migrations()), "kernel migrations");
        sdk::NodeInfo info{"store-test", sdk::NodeRole::store, fixture.data_dir(), "test"};
        host_ = std::make_unique<plugin_host::PluginHost>(
            plugin_host::HostServices{info, *logs_, fixture.clock(), fixture.db(), fixture.bus(), router_});
        host_->adopt(plugin_host::discover_plugins({dir_.file("plugins")}));
        plugin_host::PluginSelection selection;
        selection.enabled_given = true;
        selection.enabled = ids;
        selection.required = ids;
        must(host_->start({}, selection), "starting plugins");
        plugin_host::StagedCapabilities staged;
        for (const auto& id : host_->registry().order_type_ids())
            staged.order_types[id] = host_->registry().order_type(id);
        for (const auto& id : host_->registry().payment_method_ids())
            staged.payment_methods[id] = host_->registry().payment_method(id);
        must(fixture.registry().check_free(staged), "capabilities");
        fixture.registry().add("sales_plugins", staged);
    }
    ~SalesPlugins() {
        fixture_.registry().remove_owner("sales_plugins");
        host_->stop();
    }

private:
    test::DomainFixture& fixture_;
    test::TempDir dir_;
    std::unique_ptr<log::LogManager> logs_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
};

struct Shop {
    /// `cash_rounding_minor`: sales.cash_rounding_minor (read by the services when they take payments).
    explicit Shop(test::Backend backend, std::int64_t cash_rounding_minor = 0) : fixture(backend), plugins(fixture) {
        fixture.sales().cash_rounding_minor = cash_rounding_minor;
        totals.connect(orders, payments);
        must(audit.start(), "audit");
        must(people.start(), "people");
        must(people.create_demo_users(), "demo users");
        must(inventory.start(), "inventory");
        must(orders.start(), "orders");
        must(payments.start(), "payments");
        must(registers.start(), "registers");
    }

    domain::Authorization as(const std::string& name, const std::string& pin, const std::string& terminal = "T1") {
        domain::people::LoginRequest login;
        login.user_name = name;
        login.pin = pin;
        login.terminal_id = terminal;
        auto token = must(people.login(login), "login").token;
        sdk::HttpRequest request;
        request.headers["authorization"] = "Bearer " + token;
        return domain::Authorization{must(people.authenticate(request), "authenticate"), "", ""};
    }
    domain::Permit permit(const domain::Authorization& by) {
        return [this, principal = by.principal](std::string_view action) {
            sdk::HttpRequest none;
            return people.authorize(principal, action, none);
        };
    }

    /// A submitted sale of `lines` (sku, qty_milli, percent off in bp).
    domain::orders::Order sale(const domain::Authorization& by,
                               const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>& lines) {
        domain::OpenOrderRequest open;
        open.order_type_id = "retail";
        auto order = must(orders.open_order(by, open), "open order");
        for (const auto& [sku, qty, off_bp] : lines) {
            domain::AddLineRequest add;
            add.sku = sku;
            add.qty_milli = qty;
            if (off_bp > 0) add.discount = domain::orders::Discount{domain::orders::Discount::Kind::percent, off_bp, 0};
            order = must(orders.add_line(order.order_id, order.version, add, by, permit(by)), "add line");
        }
        return must(orders.submit(order.order_id, order.version, by), "submit");
    }

    domain::payments::PaymentAnswer pay(const domain::Authorization& by, const std::string& order_id,
                                        const std::string& method, std::int64_t amount,
                                        std::optional<std::int64_t> tendered = std::nullopt) {
        domain::payments::TakePaymentRequest p;
        p.order_id = order_id;
        p.method_id = method;
        p.amount_minor = amount;
        p.tendered_minor = tendered;
        p.idempotency_key = fixture.ctx().ids.next();
        sdk::HttpRequest none;
        auto answer = must(payments.take_payment(by, p, none), "payment");
        if (answer.http_status != 201)
            throw std::runtime_error("payment answered " + std::to_string(answer.http_status) + ": " +
                                     answer.payment.to_json());
        return answer;
    }

    test::DomainFixture fixture;
    SalesPlugins plugins;
    TwoItems catalog;
    domain::audit::AuditTrail audit{fixture.ctx()};
    domain::people::PeopleService people{fixture.ctx(), audit};
    domain::InventoryService inventory{fixture.ctx(), people, audit, &catalog};
    domain::registers::TotalsSlot totals;
    domain::RegisterService registers{fixture.ctx(), people, audit, totals, totals};
    domain::OrderService orders{fixture.ctx(), people, audit, catalog, inventory, registers};
    domain::payments::PaymentService payments{fixture.ctx(), people, audit, orders, registers};
};

}  // namespace

TEST_CASE("z report totals equal the session's sales, refunds and cash movements, to the cent",
          "[registers][z][sales]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Shop shop(backend);
        auto alice = shop.as("alice", "1111");
        auto bob = shop.as("bob", "2222");
        auto opened = shop.registers.open(bob, "T1", 10000, "");
        REQUIRE(opened.ok());
        const std::string session = opened.value()["session_id"].as_string();

        // Sale 1: 3 coffees (one 10% off) and a shirt, cash with change.
        auto s1 = shop.sale(alice, {{"COFFEE", 2000, 0}, {"COFFEE", 1000, 1000}, {"SHIRT", 1000, 0}});
        const std::int64_t s1_total = s1.totals.total_minor;
        CHECK(s1_total == 500 + 225 + 1999);
        shop.pay(alice, s1.order_id, "cash", s1_total, 5000);
        // Sale 2: split tender, part cash part the other method if any, else all cash.
        auto s2 = shop.sale(alice, {{"SHIRT", 2000, 0}});
        shop.pay(alice, s2.order_id, "cash", 1000, 1000);
        shop.pay(alice, s2.order_id, "cash", s2.totals.total_minor - 1000, s2.totals.total_minor - 1000);
        // Sale 3: coffee with 15% off.
        auto s3 = shop.sale(alice, {{"COFFEE", 1000, 1500}});
        shop.pay(alice, s3.order_id, "cash", s3.totals.total_minor);

        // A return of one shirt from sale 2, paid out in cash.
        auto paid2 = must(shop.orders.get(s2.order_id), "get sale 2");
        domain::ReturnRequest ret;
        ret.reason_code = "changed_mind";
        ret.lines = {{paid2.lines[0].line_id, 1000}};
        auto returned = must(shop.orders.open_return(s2.order_id, ret, bob, shop.permit(bob)), "open return");
        if (returned.state == domain::orders::State::open)
            returned = must(shop.orders.submit(returned.order_id, returned.version, bob), "submit return");
        const std::int64_t refund = -returned.totals.total_minor;
        CHECK(refund == 1999);
        shop.pay(bob, returned.order_id, "cash", refund);

        // A voided order (not a sale).
        auto voided = shop.sale(alice, {{"COFFEE", 1000, 0}});
        must(shop.orders.void_order(voided.order_id, voided.version, "customer left", bob, shop.permit(bob)), "void");

        // Cash movements.
        domain::CashMovementRequest drop{domain::CashDirection::out, 3000, "bank_drop", ""};
        domain::CashMovementRequest top{domain::CashDirection::in, 1234, "float_top_up", ""};
        REQUIRE(shop.registers.move_cash(bob, "T1", drop).ok());
        REQUIRE(shop.registers.move_cash(bob, "T1", top).ok());

        // A sale on another register does not count here.
        REQUIRE(shop.registers.open(shop.as("bob", "2222", "T2"), "T2", 0, "").ok());
        auto elsewhere = shop.sale(shop.as("alice", "1111", "T2"), {{"SHIRT", 1000, 0}});
        shop.pay(shop.as("alice", "1111", "T2"), elsewhere.order_id, "cash", elsewhere.totals.total_minor);

        // The sums from the orders themselves.
        std::int64_t gross = 0, discount = 0, tax = 0, total = 0;
        for (const auto& id : {s1.order_id, s2.order_id, s3.order_id}) {
            auto o = must(shop.orders.get(id), "get sale");
            gross += o.totals.gross_minor;
            discount += o.totals.discount_minor;
            tax += o.totals.tax_minor;
            total += o.totals.total_minor;
        }
        auto ret_now = must(shop.orders.get(returned.order_id), "get return");
        const std::int64_t returns_tax = -ret_now.totals.tax_minor;

        auto x = shop.registers.x_report("T1");
        REQUIRE(x.ok());
        auto closed = shop.registers.close(bob, "T1", {{5000, 2}, {1000, 3}, {1, 1}}, "");
        INFO((closed ? std::string() : closed.error().message));
        REQUIRE(closed.ok());
        const sdk::Value& z = closed.value()["z_report"]["report"];
        CHECK(z["session_id"].as_string() == session);
        CHECK(z["sales"]["count"].as_int() == 3);
        CHECK(z["sales"]["gross_minor"].as_int() == gross);
        CHECK(z["sales"]["discount_minor"].as_int() == discount);
        CHECK(z["sales"]["tax_minor"].as_int() == tax);
        CHECK(z["sales"]["total_minor"].as_int() == total);
        CHECK(z["sales"]["total_minor"].as_int() == z["sales"]["gross_minor"].as_int() - z["sales"]["discount_minor"].as_int());
        CHECK(z["returns"]["count"].as_int() == 1);
        CHECK(z["returns"]["total_minor"].as_int() == refund);
        CHECK(z["returns"]["tax_minor"].as_int() == returns_tax);
        CHECK(z["voids"]["count"].as_int() == 1);
        CHECK(z["net_sales_minor"].as_int() == total - refund);

        REQUIRE(z["tenders"].size() == 1);
        const sdk::Value& cash = z["tenders"].as_list()[0];
        CHECK(cash["method_id"].as_string() == "cash");
        CHECK(cash["sales_minor"].as_int() == total);  // change is not takings
        CHECK(cash["refunds_minor"].as_int() == refund);
        CHECK(z["cash_movements"]["in_minor"].as_int() == 1234);
        CHECK(z["cash_movements"]["out_minor"].as_int() == 3000);

        const std::int64_t expected = 10000 + total - refund + 1234 - 3000;
        CHECK(z["expected_cash_minor"].as_int() == expected);
        CHECK(closed.value()["counted_minor"].as_int() == 13001);
        CHECK(closed.value()["variance_minor"].as_int() == 13001 - expected);
        // The X report taken just before saw the same figures.
        for (const char* key : {"sales", "returns", "voids", "tenders", "cash_movements", "expected_cash_minor"})
            CHECK(x.value()[key] == z[key]);
    }
}

namespace {

/// `amount` rounded to the nearest multiple of `step`, halves away from zero
/// (sales.rounding_mode half_up), computed here independently of the code.
std::int64_t nearest(std::int64_t amount, std::int64_t step) {
    const std::int64_t down = amount / step * step;
    return amount - down >= step - (amount - down) ? down + step : down;
}

}  // namespace

TEST_CASE("with cash rounding on, the z report shows it and reconciles sales to tenders to the cent",
          "[registers][z][sales][rounding]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Shop shop(backend, 5);
        auto alice = shop.as("alice", "1111");
        auto bob = shop.as("bob", "2222");
        REQUIRE(shop.registers.open(bob, "T1", 10000, "").ok());

        std::int64_t sales_total = 0;     // what the orders say customers owed
        std::int64_t cash_taken = 0;      // what went into the drawer for them
        std::int64_t rounding = 0;        // Σ per payment: due − amount (sales), amount − due (payouts)
        auto note = [&](const domain::payments::PaymentAnswer& a, int sign) {
            rounding += sign * (a.payment["due_minor"].as_int() - a.payment["amount_minor"].as_int());
        };

        // Sale 1: coffee + shirt = 2249, rounds up to 2250 in cash (+1), paid with a 50 note.
        auto s1 = shop.sale(alice, {{"COFFEE", 1000, 0}, {"SHIRT", 1000, 0}});
        CHECK(s1.totals.total_minor == 2249);
        auto p1 = shop.pay(alice, s1.order_id, "cash", s1.totals.total_minor, 5000);
        CHECK(p1.payment["due_minor"].as_int() == 2250);
        CHECK(p1.payment["rounding_minor"].as_int() == 1);
        CHECK(p1.payment["change_minor"].as_int() == 5000 - 2250);
        note(p1, 1);
        sales_total += s1.totals.total_minor;
        cash_taken += p1.payment["due_minor"].as_int();
        // Sale 2: two coffees 15% off; its total rounds whichever way it falls.
        auto s2 = shop.sale(alice, {{"COFFEE", 2000, 1500}});
        auto p2 = shop.pay(alice, s2.order_id, "cash", s2.totals.total_minor);
        CHECK(p2.payment["due_minor"].as_int() == nearest(s2.totals.total_minor, 5));
        note(p2, 1);
        sales_total += s2.totals.total_minor;
        cash_taken += p2.payment["due_minor"].as_int();
        // Sale 3: split in cash: 1000 first (not the last payment: no rounding), then the rest, rounded.
        auto s3 = shop.sale(alice, {{"SHIRT", 2000, 0}, {"COFFEE", 1000, 1000}});
        auto p3a = shop.pay(alice, s3.order_id, "cash", 1000, 1000);
        CHECK(p3a.payment["rounding_minor"].as_int() == 0);
        auto p3b = shop.pay(alice, s3.order_id, "cash", s3.totals.total_minor - 1000, 5000);
        CHECK(p3b.order_settled);
        CHECK(p3b.payment["due_minor"].as_int() == nearest(s3.totals.total_minor - 1000, 5));
        note(p3a, 1);
        note(p3b, 1);
        sales_total += s3.totals.total_minor;
        cash_taken += 1000 + p3b.payment["due_minor"].as_int();

        // A return of one shirt (1999) paid out in cash: 2000 goes out (1 more than owed).
        auto paid1 = must(shop.orders.get(s1.order_id), "get sale 1");
        domain::ReturnRequest ret;
        ret.reason_code = "changed_mind";
        for (const auto& l : paid1.lines)
            if (l.sku == "SHIRT") ret.lines = {{l.line_id, 1000}};
        auto returned = must(shop.orders.open_return(s1.order_id, ret, bob, shop.permit(bob)), "open return");
        if (returned.state == domain::orders::State::open)
            returned = must(shop.orders.submit(returned.order_id, returned.version, bob), "submit return");
        const std::int64_t refund = -returned.totals.total_minor;
        CHECK(refund == 1999);
        auto out = shop.pay(bob, returned.order_id, "cash", refund);
        CHECK(out.payment["due_minor"].as_int() == 2000);
        note(out, -1);
        const std::int64_t cash_paid_out = out.payment["due_minor"].as_int();

        CHECK(rounding != 0);
        auto x = shop.registers.x_report("T1");
        REQUIRE(x.ok());
        auto closed = shop.registers.close(bob, "T1", {{1, 10000 + cash_taken - cash_paid_out}}, "");
        INFO((closed ? std::string() : closed.error().message));
        REQUIRE(closed.ok());
        const sdk::Value& z = closed.value()["z_report"]["report"];

        // The orders' figures are before rounding ...
        CHECK(z["sales"]["total_minor"].as_int() == sales_total);
        CHECK(z["returns"]["total_minor"].as_int() == refund);
        CHECK(z["net_sales_minor"].as_int() == sales_total - refund);
        // ... the tender's after it ...
        REQUIRE(z["tenders"].size() == 1);
        const sdk::Value& cash = z["tenders"].as_list()[0];
        CHECK(cash["sales_minor"].as_int() == cash_taken);
        CHECK(cash["refunds_minor"].as_int() == cash_paid_out);
        CHECK(cash["rounding_minor"].as_int() == rounding);
        // ... and the report says how they meet, to the cent.
        CHECK(z["cash_rounding_minor"].as_int() == rounding);
        const sdk::Value& rec = z["reconciliation"];
        CHECK(rec["rule"].as_string() == "net_sales_minor + cash_rounding_minor + unsettled_minor = tenders_net_minor");
        CHECK(rec["net_sales_minor"].as_int() == sales_total - refund);
        CHECK(rec["cash_rounding_minor"].as_int() == rounding);
        CHECK(rec["tenders_net_minor"].as_int() == cash_taken - cash_paid_out);
        CHECK(rec["unsettled_minor"].as_int() == 0);
        CHECK(rec["balanced"].as_bool());
        CHECK(sales_total - refund + rounding == cash_taken - cash_paid_out);
        // The drawer holds the float and what really went in and out.
        CHECK(z["expected_cash_minor"].as_int() == 10000 + cash_taken - cash_paid_out);
        CHECK(closed.value()["variance_minor"].as_int() == 0);
        for (const char* key : {"cash_rounding_minor", "reconciliation", "tenders", "expected_cash_minor"})
            CHECK(x.value()[key] == z[key]);
    }
}

TEST_CASE("a payment on an order not settled in the session shows as unsettled, not balanced",
          "[registers][z][sales][rounding]") {
    Shop shop(test::Backend::sqlite, 5);
    auto alice = shop.as("alice", "1111");
    auto bob = shop.as("bob", "2222");
    REQUIRE(shop.registers.open(bob, "T1", 0, "").ok());
    auto open = shop.sale(alice, {{"SHIRT", 1000, 0}});
    shop.pay(alice, open.order_id, "cash", 500, 500);  // a deposit; the order stays open
    auto x = shop.registers.x_report("T1");
    REQUIRE(x.ok());
    const sdk::Value& rec = x.value()["reconciliation"];
    CHECK(rec["net_sales_minor"].as_int() == 0);
    CHECK(rec["tenders_net_minor"].as_int() == 500);
    CHECK(rec["unsettled_minor"].as_int() == 500);
    CHECK_FALSE(rec["balanced"].as_bool());
}
