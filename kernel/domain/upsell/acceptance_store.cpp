#include "domain/upsell/acceptance_store.hpp"

namespace till::domain::upsell {

namespace {
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE upsell_acceptances (
  acceptance_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  rule TEXT NOT NULL DEFAULT '',
  rules_version TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL DEFAULT '',
  terminal_id TEXT NOT NULL DEFAULT '',
  accepted_utc_ms BIGINT NOT NULL
);
CREATE INDEX upsell_acceptances_by_order ON upsell_acceptances (order_id);
CREATE INDEX upsell_acceptances_by_time ON upsell_acceptances (accepted_utc_ms);
CREATE INDEX upsell_acceptances_by_rule ON upsell_acceptances (rule, accepted_utc_ms)
)SQL";
}  // namespace

sdk::Value Acceptance::to_value() const {
    sdk::Value v = sdk::Value::map();
    v.set("acceptance_id", acceptance_id);
    v.set("order_id", order_id);
    v.set("sku", sku);
    v.set("rule", rule);
    v.set("rules_version", rules_version);
    v.set("user_id", user_id);
    v.set("terminal_id", terminal_id);
    v.set("accepted_utc_ms", static_cast<long long>(accepted_utc_ms));
    return v;
}

const std::vector<sdk::Migration>& acceptance_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "upsell_acceptances: accepted suggestions for conversion reports", kSchemaV1, ""}};
    return migrations;
}

sdk::Status insert_acceptance(sdk::SqlExecutor& tx, const Acceptance& a) {
    return tx
        .execute("INSERT INTO upsell_acceptances (acceptance_id, order_id, sku, rule, rules_version, user_id, "
                 "terminal_id, accepted_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {a.acceptance_id, a.order_id, a.sku, a.rule, a.rules_version, a.user_id, a.terminal_id,
                  static_cast<long long>(a.accepted_utc_ms)})
        .status();
}

sdk::Result<std::vector<Acceptance>> acceptances_of(sdk::SqlExecutor& db, const std::string& order_id) {
    auto rows = db.query(
        "SELECT acceptance_id, order_id, sku, rule, rules_version, user_id, terminal_id, accepted_utc_ms "
        "FROM upsell_acceptances WHERE order_id = ? ORDER BY accepted_utc_ms, acceptance_id",
        {order_id});
    if (!rows) return rows.error();
    std::vector<Acceptance> out;
    for (const auto& r : rows->rows)
        out.push_back({r[0].as_string(), r[1].as_string(), r[2].as_string(), r[3].as_string(), r[4].as_string(),
                       r[5].as_string(), r[6].as_string(), r[7].as_int()});
    return out;
}

}  // namespace till::domain::upsell
