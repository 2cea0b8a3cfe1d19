// The plugin as a node loads it: a config without a port is refused with a
// message naming the key; the terminal's end-of-day totals over the route;
// the simulator's protocol refusals.
#include <catch2/catch.hpp>

#include "plugin_kernel.hpp"
#include "sim_process.hpp"

using namespace till;
using namespace till::test::card;

TEST_CASE("payment_card without a terminal port does not start and says why", "[payment_card][config]") {
    till::test::PluginKernel kernel;
    auto started = kernel.start("payment_card");
    REQUIRE_FALSE(started.ok());
    CHECK_THAT(started.message(), Catch::Contains("payment_card.port"));
}

TEST_CASE("GET /api/v1/payment-card/totals gives the terminal's batch totals", "[payment_card][totals]") {
    till::test::TempDir dir("till-card-totals");
    SimProcess sim(dir);
    till::test::PluginKernel kernel;
    sdk::Value config = sdk::Value::map();
    config.set("port", sim.port());
    REQUIRE(kernel.start("payment_card", config).ok());

    for (const auto& [key, amount] : {std::pair<std::string, int>{"a", 1000}, {"b", 250}}) {
        payment_card::TerminalRequest sale;
        sale.key = key;
        sale.amount_minor = amount;
        sale.currency = "EUR";
        CHECK(sim.ask(payment_card::to_value(sale))["result"].as_string() == "approved");
    }
    auto reply = kernel.get("/api/v1/payment-card/totals");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    auto totals = sdk::Value::parse_json(reply.body);
    REQUIRE(totals.ok());
    CHECK((*totals)["method_id"].as_string() == "card");
    CHECK((*totals)["batch"].as_int() == 1);
    CHECK((*totals)["sales_count"].as_int() == 2);
    CHECK((*totals)["sales_minor"].as_int() == 1250);
    CHECK((*totals)["net_minor"].as_int() == 1250);

    // End of day on the terminal: a new batch starts from zero.
    CHECK(sim.totals(/*close=*/true)["closed"].as_bool());
    auto next = sdk::Value::parse_json(kernel.get("/api/v1/payment-card/totals").body);
    REQUIRE(next.ok());
    CHECK((*next)["batch"].as_int() == 2);
    CHECK((*next)["sales_count"].as_int() == 0);

    sim.kill9();
    CHECK(kernel.get("/api/v1/payment-card/totals").status == 503);
}

TEST_CASE("the simulator refuses a malformed request naming the field", "[payment_card][protocol]") {
    till::test::TempDir dir("till-card-proto");
    SimProcess sim(dir);
    auto x = payment_card::exchange_line("127.0.0.1", sim.port(), "{not json", 1000, 2000);
    REQUIRE(x.stage == payment_card::ExchangeStage::answered);
    CHECK_THAT(x.line, Catch::Contains("bad_request"));
    auto no_amount = sim.ask(*sdk::Value::parse_json(R"({"v":1,"type":"sale","key":"z","currency":"EUR"})"));
    CHECK(no_amount["result"].as_string() == "error");
    CHECK_THAT(no_amount["message"].as_string(), Catch::StartsWith("$.amount_minor"));
    auto old = sim.ask(*sdk::Value::parse_json(R"({"v":2,"type":"status","key":"z"})"));
    CHECK_THAT(old["message"].as_string(), Catch::StartsWith("$.v"));
    // An error keeps nothing: the key is still unknown.
    CHECK(sim.status("z")["result"].as_string() == "unknown");
}
