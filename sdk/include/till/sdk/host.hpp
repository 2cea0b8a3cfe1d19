// Till SDK — what the kernel gives a plugin.
//
// Registrar: handed to Plugin::on_register, valid only during that call. The
// only place to add capabilities, routes, migrations and subscriptions.
// Host: handed to Plugin::on_start, valid until Plugin::on_stop returns. The
// services a running plugin uses.
//
// Ownership: capabilities are passed as std::shared_ptr made inside the
// plugin; the kernel drops every one of them before it destroys the plugin
// and before it releases the plugin's library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "till/sdk/clock.hpp"
#include "till/sdk/device.hpp"
#include "till/sdk/events.hpp"
#include "till/sdk/http.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/order_type.hpp"
#include "till/sdk/payment.hpp"
#include "till/sdk/report.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/sync_hub.hpp"
#include "till/sdk/sync_transport.hpp"
#include "till/sdk/value.hpp"

namespace till::sdk {

enum class NodeRole { store, hq };

struct NodeInfo {
    std::string node_id;    ///< from the node config, e.g. "store-001"
    NodeRole role = NodeRole::store;
    std::string data_dir;   ///< absolute; a plugin may keep files under data_dir/plugins/<id>/
    std::string kernel_version;
};

class Registrar {
public:
    virtual ~Registrar();
    virtual const std::string& plugin_id() const noexcept = 0;
    /// The plugin's configuration, validated against its manifest schema with
    /// defaults filled in (a map).
    virtual const Value& config() const noexcept = 0;

    /// Each add_* returns a failure when the id or path is already taken.
    virtual Status add_route(HttpMethod method, std::string path, RouteHandler handler) = 0;
    virtual Status add_migration(Migration migration) = 0;
    virtual Status add_order_type(std::shared_ptr<OrderType> order_type) = 0;
    virtual Status add_device(std::shared_ptr<Device> device) = 0;
    virtual Status add_payment_method(std::shared_ptr<PaymentMethod> method) = 0;
    virtual Status add_sync_transport(std::shared_ptr<SyncTransport> transport) = 0;
    virtual Status add_report(std::shared_ptr<Report> report) = 0;
    /// Subscriptions made here stay until the plugin stops.
    virtual Status subscribe(std::string topic_pattern, EventHandler handler) = 0;
};

/// Lookup of capabilities every started plugin registered. Returned pointers
/// stay valid while the caller's plugin runs.
class Registry {
public:
    virtual ~Registry();
    virtual std::shared_ptr<OrderType> order_type(const std::string& id) const = 0;
    virtual std::shared_ptr<Device> device(const std::string& device_id) const = 0;
    virtual std::shared_ptr<PaymentMethod> payment_method(const std::string& id) const = 0;
    virtual std::shared_ptr<SyncTransport> sync_transport(const std::string& id) const = 0;
    virtual std::shared_ptr<Report> report(const std::string& id) const = 0;
    virtual std::vector<std::string> order_type_ids() const = 0;
    virtual std::vector<std::string> device_ids() const = 0;
    virtual std::vector<std::string> payment_method_ids() const = 0;
    virtual std::vector<std::string> sync_transport_ids() const = 0;
    virtual std::vector<std::string> report_ids() const = 0;
};

class Host {
public:
    virtual ~Host();
    virtual const std::string& plugin_id() const noexcept = 0;
    virtual const NodeInfo& node() const noexcept = 0;
    /// This plugin's logger, named "plugin.<id>".
    virtual Logger& logger() noexcept = 0;
    /// Same as Registrar::config().
    virtual const Value& config() const noexcept = 0;
    virtual Clock& clock() noexcept = 0;
    virtual Storage& storage() noexcept = 0;
    /// Events published through it carry this plugin's id as source.
    virtual EventBus& events() noexcept = 0;
    virtual const Registry& registry() const noexcept = 0;
    /// The HQ side of sync (SDK ABI 1.1): non-null on an HQ node only.
    virtual SyncHub* sync_hub() noexcept = 0;
};

}  // namespace till::sdk
