// A running Till node: config, logging, storage, event bus, plugins and the
// API server, assembled in that order and taken down in reverse. Made by
// tilld's main() and by in-process tests; holds no global state.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "config/schema.hpp"
#include "plugin_host/plugin_host.hpp"
#include "till/sdk/status.hpp"

namespace till::node {

struct NodeOptions {
    std::string config_path;
    config::EnvLookup env;
    /// Added to the node's wall clock (tests of clock skew; tilld reads it
    /// from TILL_CLOCK_OFFSET_MS). 0 in production.
    std::int64_t clock_offset_ms = 0;
};

class Node {
public:
    /// Checks the config (code "invalid_config", one diagnostic per line in
    /// the message), opens logs and storage, applies the kernel migrations,
    /// starts plugins, then serves HTTP. Fails when a required plugin did not
    /// start (code "required_plugin_failed") or the port is taken.
    static sdk::Result<std::unique_ptr<Node>> start(const NodeOptions& options);
    ~Node();  ///< stop()
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    int port() const noexcept;
    /// "http://127.0.0.1:8080"
    std::string base_url() const;
    const sdk::NodeInfo& info() const noexcept;
    std::vector<plugin_host::PluginStatus> plugins() const;
    /// Every route the API serves (kernel, domain and plugins), with its owner.
    std::vector<api::RouteInfo> routes() const;
    /// Graceful: stop HTTP (close WebSockets), stop plugins in reverse order,
    /// close storage. Idempotent.
    void stop();

private:
    Node();
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

/// The kernel's version, e.g. "0.1.0".
const char* kernel_version() noexcept;

}  // namespace till::node
