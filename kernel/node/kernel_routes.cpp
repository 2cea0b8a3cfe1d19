#include "node/kernel_routes.hpp"

#include "plugin_host/plugin_library.hpp"

namespace till::node {

sdk::Value describe_node(const NodeDescription& d) {
    sdk::Value node = sdk::Value::map();
    node.set("node_id", d.info.node_id);
    node.set("role", d.info.role == sdk::NodeRole::hq ? "hq" : "store");
    node.set("version", d.info.kernel_version);
    node.set("sdk_abi", plugin_host::kernel_sdk_abi());
    node.set("cxx_abi_tag", TILL_CXX_ABI_TAG);
    node.set("started_utc_ms", d.started_utc_ms);
    sdk::Value storage = sdk::Value::map();
    storage.set("dialect", d.storage_dialect);
    storage.set("url", d.storage);
    node.set("storage", std::move(storage));
    sdk::Value plugins = sdk::Value::list();
    for (const auto& p : d.plugins()) {
        sdk::Value item = sdk::Value::map();
        item.set("id", p.id);
        item.set("version", p.version);
        sdk::Value kinds = sdk::Value::list();
        for (const auto& k : p.kinds) kinds.push_back(k);
        item.set("kinds", std::move(kinds));
        item.set("state", plugin_host::state_name(p.state));
        item.set("reason", p.reason);
        item.set("required", p.required);
        item.set("stability", p.stability);
        item.set("description", p.description);
        item.set("location", p.location);
        plugins.push_back(std::move(item));
    }
    node.set("plugins", std::move(plugins));
    node.set("rules", d.rules ? d.rules() : sdk::Value(sdk::Value::Map{{"enabled", false}}));
    return node;
}

sdk::Status add_kernel_routes(api::Router& router, NodeDescription description) {
    auto shared = std::make_shared<NodeDescription>(std::move(description));
    auto status = router.add(
        sdk::HttpMethod::get, "/healthz",
        [](const sdk::HttpRequest&) {
            sdk::Value body = sdk::Value::map();
            body.set("status", "ok");
            return sdk::HttpResponse::json(body);
        },
        "kernel");
    if (!status.ok()) return status;
    return router.add(
        sdk::HttpMethod::get, "/api/v1/node",
        [shared](const sdk::HttpRequest&) { return sdk::HttpResponse::json(describe_node(*shared)); }, "kernel");
}

}  // namespace till::node
