// Every capability started plugins registered, by id, with its owner, so a
// plugin's capabilities can be added all at once and removed all at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "till/sdk/host.hpp"

namespace till::plugin_host {

/// What a plugin added during on_register, before it is committed.
struct StagedCapabilities {
    struct Route {
        sdk::HttpMethod method;
        std::string path;
        sdk::RouteHandler handler;
    };
    struct Subscription {
        std::string pattern;
        sdk::EventHandler handler;
    };
    std::map<std::string, std::shared_ptr<sdk::OrderType>> order_types;
    std::map<std::string, std::shared_ptr<sdk::Device>> devices;
    std::map<std::string, std::shared_ptr<sdk::PaymentMethod>> payment_methods;
    std::map<std::string, std::shared_ptr<sdk::SyncTransport>> sync_transports;
    std::map<std::string, std::shared_ptr<sdk::Report>> reports;
    std::vector<Route> routes;
    std::vector<sdk::Migration> migrations;
    std::vector<Subscription> subscriptions;
};

class CapabilityRegistry final : public sdk::Registry {
public:
    /// Fails (changing nothing) when an id is taken: "device \"receipt\" is already registered by printer_file".
    sdk::Status check_free(const StagedCapabilities& staged) const;
    /// Adds the capabilities of `owner`; call check_free first.
    void add(const std::string& owner, const StagedCapabilities& staged);
    /// Drops every capability of `owner`.
    void remove_owner(const std::string& owner);
    /// Which plugin registered capability `kind`/`id` ("" when none).
    std::string owner_of(const std::string& kind, const std::string& id) const;

    std::shared_ptr<sdk::OrderType> order_type(const std::string& id) const override;
    std::shared_ptr<sdk::Device> device(const std::string& device_id) const override;
    std::shared_ptr<sdk::PaymentMethod> payment_method(const std::string& id) const override;
    std::shared_ptr<sdk::SyncTransport> sync_transport(const std::string& id) const override;
    std::shared_ptr<sdk::Report> report(const std::string& id) const override;
    std::vector<std::string> order_type_ids() const override;
    std::vector<std::string> device_ids() const override;
    std::vector<std::string> payment_method_ids() const override;
    std::vector<std::string> sync_transport_ids() const override;
    std::vector<std::string> report_ids() const override;

private:
    template <class T>
    struct Owned {
        std::string owner;
        std::shared_ptr<T> object;
    };
    template <class T>
    using Table = std::map<std::string, Owned<T>>;

    mutable std::shared_mutex mutex_;
    Table<sdk::OrderType> order_types_;
    Table<sdk::Device> devices_;
    Table<sdk::PaymentMethod> payment_methods_;
    Table<sdk::SyncTransport> sync_transports_;
    Table<sdk::Report> reports_;
};

}  // namespace till::plugin_host
