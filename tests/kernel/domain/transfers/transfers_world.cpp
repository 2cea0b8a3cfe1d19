#include "transfers_world.hpp"

namespace till::test {

std::optional<domain::ItemView> TransferCatalog::find_item(const std::string& sku) const {
    if (sku != "LATTE-BEANS" && sku != "CUPS" && sku != "MILK") return std::nullopt;
    domain::ItemView item;
    item.product_id = "product-" + sku;
    item.sku = sku;
    item.name = "Item " + sku;
    return item;
}

CafePolicy::CafePolicy() {
    script::RulesEngineOptions o;
    o.deployment_dir = std::string(TILL_SOURCE_SCRIPTS_DIR) + "/cafe";
    o.poll_interval_ms = 0;
    engine_ = std::make_unique<script::RulesEngine>(o);
    auto s = engine_->start();
    INFO((s.ok() ? std::string() : s.error().message));
    REQUIRE(s.ok());
}

sdk::Result<sdk::Value> CafePolicy::resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                            const sdk::Value& base) {
    return engine_->resolve(kind, local, remote, base);
}

TransferNode::TransferNode(const std::string& node_id, sdk::NodeRole role, Backend backend)
    : f(backend), recorded(f.db()) {
    const domain::DomainContext& base = f.ctx();
    node = base.node;
    node.node_id = node_id;
    node.role = role;
    context.reset(new domain::DomainContext{base.storage, base.events, base.clock, base.registry, base.logger, node,
                                            base.sales, base.auth, base.ids, recorded});
    audit = std::make_unique<domain::audit::AuditTrail>(*context);
    people = std::make_unique<domain::people::PeopleService>(*context, *audit);
    inventory = std::make_unique<domain::InventoryService>(*context, *people, *audit, &catalog);
    transfers = std::make_unique<domain::transfers::TransferService>(*context, *people, *audit, *inventory, &catalog);
    REQUIRE(audit->start().ok());
    REQUIRE(people->start().ok());
    REQUIRE(people->create_demo_users().ok());
    REQUIRE(inventory->start().ok());
    auto s = transfers->start();
    INFO((s.ok() ? std::string() : s.error().message));
    REQUIRE(s.ok());
    REQUIRE(people->add_routes(router).ok());
    REQUIRE(transfers->add_routes(router).ok());
    server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, f.bus(), f.ctx().logger);
    REQUIRE(server->start().ok());
}

TransferNode::~TransferNode() {
    if (server) server->stop();
}

HttpReply TransferNode::call(const std::string& method, const std::string& path, const std::string& body,
                             const std::string& token) {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http_call(server->port(), method, path, body, headers);
}

std::string TransferNode::login(const std::string& name, const std::string& pin) {
    auto r = call("POST", "/api/v1/auth/login",
                  R"({"user_name":")" + name + R"(","pin":")" + pin + R"(","terminal_id":"T1"})");
    INFO(r.body);
    REQUIRE(r.status == 200);
    return json(r)["token"].as_string();
}

sdk::Value TransferNode::json(const HttpReply& r) {
    auto v = sdk::Value::parse_json(r.body);
    return v ? *v : sdk::Value();
}

std::string TransferNode::error_path(const HttpReply& r) {
    const sdk::Value body = json(r);
    if (body["json_path"].is_string()) return body["json_path"].as_string();
    const auto& errors = body["errors"].as_list();
    return errors.empty() ? std::string() : errors[0]["path"].as_string();
}

void TransferNode::stock(const std::string& sku, std::int64_t qty_milli) {
    auto s = f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        return inventory->record(tx, domain::StockMovement{sku, qty_milli, "adjustment", "received", "test", "user-carol"})
            .status();
    });
    INFO((s.ok() ? std::string() : s.error().message));
    REQUIRE(s.ok());
}

std::int64_t TransferNode::on_hand(const std::string& sku) {
    auto level = inventory->level(sku);
    INFO((level.ok() ? std::string() : level.error().message));
    REQUIRE(level.ok());
    return level->on_hand_milli;
}

std::int64_t TransferNode::count(const std::string& sql, const std::vector<sdk::Value>& params) {
    auto rows = f.db().query(sql, params);
    INFO((rows.ok() ? std::string() : rows.error().message));
    REQUIRE(rows.ok());
    return rows->rows.at(0).at(0).as_int();
}

std::int64_t TransferNode::audit_count(const std::string& action) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
}

domain::transfers::Transfer TransferNode::draft(const std::string& from, const std::string& to) {
    domain::transfers::NewTransfer in;
    in.from_store = from;
    in.to_store = to;
    in.lines = {{"CUPS", 10000, std::nullopt}, {"MILK", 2000, std::nullopt}};
    auto made = transfers->create(manager(), in);
    INFO((made.ok() ? std::string() : made.error().message));
    REQUIRE(made.ok());
    return *made;
}

domain::transfers::Transfer TransferNode::get(const std::string& id) {
    auto t = transfers->get(id);
    REQUIRE(t.ok());
    REQUIRE(t->has_value());
    return **t;
}

sdk::Result<std::vector<sdk::Value>> apply_batch(sdk::Storage& storage, domain::ReplicaApplier& applier,
                                                 const std::vector<domain::ReplicatedChange>& changes) {
    std::vector<sdk::Value> results;
    auto s = storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        results.clear();
        for (const auto& c : changes) {
            auto r = applier.apply(tx, c);
            if (!r) return r.error();
            results.push_back(*r);
        }
        return {};
    });
    if (!s.ok()) return s.error();
    applier.after_commit(changes);
    return results;
}

}  // namespace till::test
