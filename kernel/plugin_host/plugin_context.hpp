// What one plugin sees of the kernel: a Registrar that stages its
// registrations (so a failed plugin is rolled back completely) and a Host
// with its own logger and event bus view.
#pragma once

#include <memory>
#include <string>

#include "events/event_bus.hpp"
#include "plugin_host/capability_registry.hpp"
#include "till/sdk/host.hpp"

namespace till::plugin_host {

class StagingRegistrar final : public sdk::Registrar {
public:
    StagingRegistrar(std::string plugin_id, const sdk::Value& config, StagedCapabilities& staged);
    const std::string& plugin_id() const noexcept override { return plugin_id_; }
    const sdk::Value& config() const noexcept override { return config_; }
    sdk::Status add_route(sdk::HttpMethod method, std::string path, sdk::RouteHandler handler) override;
    sdk::Status add_migration(sdk::Migration migration) override;
    sdk::Status add_order_type(std::shared_ptr<sdk::OrderType> order_type) override;
    sdk::Status add_device(std::shared_ptr<sdk::Device> device) override;
    sdk::Status add_payment_method(std::shared_ptr<sdk::PaymentMethod> method) override;
    sdk::Status add_sync_transport(std::shared_ptr<sdk::SyncTransport> transport) override;
    sdk::Status add_report(std::shared_ptr<sdk::Report> report) override;
    sdk::Status subscribe(std::string topic_pattern, sdk::EventHandler handler) override;

private:
    std::string plugin_id_;
    const sdk::Value& config_;
    StagedCapabilities& staged_;
};

struct HostParts {
    sdk::NodeInfo node;
    std::shared_ptr<sdk::Logger> logger;
    sdk::Clock& clock;
    sdk::Storage& storage;
    events::EventBusImpl& bus;
    const sdk::Registry& registry;
    sdk::SyncHub* sync_hub = nullptr;  ///< HQ nodes only
};

class PluginHostContext final : public sdk::Host {
public:
    PluginHostContext(std::string plugin_id, const sdk::Value& config, HostParts parts);
    const std::string& plugin_id() const noexcept override { return plugin_id_; }
    const sdk::NodeInfo& node() const noexcept override { return parts_.node; }
    sdk::Logger& logger() noexcept override { return *parts_.logger; }
    const sdk::Value& config() const noexcept override { return config_; }
    sdk::Clock& clock() noexcept override { return parts_.clock; }
    sdk::Storage& storage() noexcept override { return parts_.storage; }
    sdk::EventBus& events() noexcept override { return events_; }
    const sdk::Registry& registry() const noexcept override { return parts_.registry; }
    sdk::SyncHub* sync_hub() noexcept override { return parts_.sync_hub; }
    /// The plugin's event view, to subscribe staged handlers and drop them all.
    events::PluginEventBus& plugin_events() noexcept { return events_; }

private:
    std::string plugin_id_;
    const sdk::Value& config_;
    HostParts parts_;
    events::PluginEventBus events_;
};

}  // namespace till::plugin_host
