#include "domain_sale.hpp"

#include <stdexcept>

namespace till::bench {

SaleRun run_domain_sales(const Send& send, const PreparedStore& store, int warmup, int sales,
                         const SyncCounter& syncs, SubmitFirst submit) {
    SaleRun run;
    int sequence = 0;
    const std::string key_prefix = submit == SubmitFirst::yes ? "bench-submitted-" : "bench-";
    SyncCounts cart_syncs;
    auto one_sale = [&](bool timed) {
        const auto sale_start = Clock::now();
        const SyncCounts cart_before = syncs.counts();
        auto order = expect(send("POST", "/api/v1/orders", R"({"order_type":"retail"})", store.cashier_token), 201,
                            "open order");
        const std::string path = "/api/v1/orders/" + order.json["order_id"].as_string();
        std::int64_t version = order.json["version"].as_int();
        std::int64_t total = 0;
        for (const auto& sku : store.skus) {
            auto line = expect(send("POST", path + "/lines",
                                    R"({"expected_version":)" + std::to_string(version) + R"(,"sku":")" + sku + "\"}",
                                    store.cashier_token),
                               201, "add line");
            version = line.json["version"].as_int();
            total = line.json["totals"]["total_minor"].as_int();
        }
        if (submit == SubmitFirst::yes)
            expect(send("POST", path + "/submit", R"({"expected_version":)" + std::to_string(version) + "}",
                        store.cashier_token),
                   200, "submit");
        const SyncCounts cart = syncs.counts() - cart_before;
        const auto commit_start = Clock::now();
        auto paid = expect(send("POST", path + "/payments",
                                R"({"method_id":")" + store.cash_method + R"(","amount_minor":)" +
                                    std::to_string(total) + R"(,"idempotency_key":")" + key_prefix +
                                    std::to_string(++sequence) + "\"}",
                                store.cashier_token),
                           201, "pay");
        const double commit_ms = ms_since(commit_start);
        if (!paid.json["order_settled"].as_bool()) throw std::runtime_error("the payment did not settle the order");
        if (timed) {
            run.commit_ms.push_back(commit_ms);
            run.sale_ms.push_back(ms_since(sale_start));
            cart_syncs.wal += cart.wal;
            cart_syncs.db += cart.db;
            cart_syncs.other += cart.other;
        }
    };
    for (int i = 0; i < warmup; ++i) one_sale(false);
    const SyncCounts before = syncs.counts();
    const auto start = Clock::now();
    for (int i = 0; i < sales; ++i) one_sale(true);
    run.seconds = ms_since(start) / 1000.0;
    run.syncs = syncs.counts() - before;
    run.cart_syncs = cart_syncs;
    run.sales = sales;
    return run;
}

}  // namespace till::bench
