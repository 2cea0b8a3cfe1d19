// The real payment_card .so, loaded by a PluginHost over a real database,
// pointed at a real simulator process (sim_process.hpp).
#pragma once

#include <memory>

#include "domain_fixture.hpp"
#include "plugin_rig.hpp"
#include "sim_process.hpp"
#include "till/sdk/payment.hpp"

namespace till::test::card {

inline sdk::Value card_config(int port, std::int64_t response_timeout_ms = 1500) {
    sdk::Value c = sdk::Value::map();
    c.set("port", port);
    c.set("terminal_id", "T-SIM-1");
    c.set("connect_timeout_ms", 1000);
    c.set("response_timeout_ms", response_timeout_ms);
    c.set("status_timeout_ms", 2000);
    return c;
}

inline sdk::PaymentRequest card_request(const std::string& key, std::int64_t amount_minor, std::int64_t tip_minor = 0) {
    sdk::PaymentRequest r;
    r.idempotency_key = key;
    r.order_id = "order-" + key;
    r.amount = sdk::Money{amount_minor, "EUR"};
    r.tip_minor = tip_minor;
    return r;
}

struct CardRig {
    explicit CardRig(std::int64_t response_timeout_ms = 1500)
        : dir("till-card"), sim(dir),
          rig(fixture, {"payment_card"}, {{"payment_card", card_config(sim.port(), response_timeout_ms)}}),
          card(rig.registry().payment_method("card")) {
        REQUIRE(card);
    }

    TempDir dir;
    SimProcess sim;
    DomainFixture fixture;
    PluginRig rig;
    std::shared_ptr<sdk::PaymentMethod> card;
};

}  // namespace till::test::card
