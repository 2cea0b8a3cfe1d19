// The kernel's own HTTP routes: GET /healthz and GET /api/v1/node.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "plugin_host/plugin_host.hpp"

namespace till::node {

struct NodeDescription {
    sdk::NodeInfo info;
    std::string storage;            ///< Database::describe()
    std::string storage_dialect;    ///< sqlite | postgresql
    std::int64_t started_utc_ms = 0;
    std::function<std::vector<plugin_host::PluginStatus>()> plugins;
    /// The Lua rules' status ("rules" member); unset = {"enabled": false}.
    std::function<sdk::Value()> rules;
};

sdk::Value describe_node(const NodeDescription& description);
sdk::Status add_kernel_routes(api::Router& router, NodeDescription description);

}  // namespace till::node
