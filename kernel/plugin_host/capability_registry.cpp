#include "plugin_host/capability_registry.hpp"

#include <mutex>

namespace till::plugin_host {
namespace {

template <class Table, class Staged>
sdk::Status check_table(const Table& table, const Staged& staged, const char* kind) {
    for (const auto& [id, object] : staged) {
        if (auto it = table.find(id); it != table.end()) {
            return sdk::Status::failure("conflict", std::string(kind) + " \"" + id +
                                                        "\" is already registered by " + it->second.owner);
        }
    }
    return {};
}

template <class Table, class Staged>
void add_table(Table& table, const Staged& staged, const std::string& owner) {
    for (const auto& [id, object] : staged) table[id] = {owner, object};
}

template <class Table>
void remove_from(Table& table, const std::string& owner) {
    std::erase_if(table, [&](const auto& item) { return item.second.owner == owner; });
}

template <class Table>
auto find_in(const Table& table, const std::string& id) -> decltype(table.begin()->second.object) {
    auto it = table.find(id);
    return it == table.end() ? nullptr : it->second.object;
}

template <class Table>
std::vector<std::string> ids_of(const Table& table) {
    std::vector<std::string> ids;
    for (const auto& [id, owned] : table) ids.push_back(id);
    return ids;
}

}  // namespace

sdk::Status CapabilityRegistry::check_free(const StagedCapabilities& s) const {
    std::shared_lock lock(mutex_);
    for (auto status : {check_table(order_types_, s.order_types, "order type"),
                        check_table(devices_, s.devices, "device"),
                        check_table(payment_methods_, s.payment_methods, "payment method"),
                        check_table(sync_transports_, s.sync_transports, "sync transport"),
                        check_table(reports_, s.reports, "report")}) {
        if (!status.ok()) return status;
    }
    return {};
}

void CapabilityRegistry::add(const std::string& owner, const StagedCapabilities& s) {
    std::unique_lock lock(mutex_);
    add_table(order_types_, s.order_types, owner);
    add_table(devices_, s.devices, owner);
    add_table(payment_methods_, s.payment_methods, owner);
    add_table(sync_transports_, s.sync_transports, owner);
    add_table(reports_, s.reports, owner);
}

void CapabilityRegistry::remove_owner(const std::string& owner) {
    std::unique_lock lock(mutex_);
    remove_from(order_types_, owner);
    remove_from(devices_, owner);
    remove_from(payment_methods_, owner);
    remove_from(sync_transports_, owner);
    remove_from(reports_, owner);
}

std::string CapabilityRegistry::owner_of(const std::string& kind, const std::string& id) const {
    std::shared_lock lock(mutex_);
    auto owner = [&](const auto& table) -> std::string {
        auto it = table.find(id);
        return it == table.end() ? std::string() : it->second.owner;
    };
    if (kind == "order_type") return owner(order_types_);
    if (kind == "device") return owner(devices_);
    if (kind == "payment_method") return owner(payment_methods_);
    if (kind == "sync_transport") return owner(sync_transports_);
    if (kind == "report") return owner(reports_);
    return {};
}

std::shared_ptr<sdk::OrderType> CapabilityRegistry::order_type(const std::string& id) const {
    std::shared_lock lock(mutex_);
    return find_in(order_types_, id);
}
std::shared_ptr<sdk::Device> CapabilityRegistry::device(const std::string& id) const {
    std::shared_lock lock(mutex_);
    return find_in(devices_, id);
}
std::shared_ptr<sdk::PaymentMethod> CapabilityRegistry::payment_method(const std::string& id) const {
    std::shared_lock lock(mutex_);
    return find_in(payment_methods_, id);
}
std::shared_ptr<sdk::SyncTransport> CapabilityRegistry::sync_transport(const std::string& id) const {
    std::shared_lock lock(mutex_);
    return find_in(sync_transports_, id);
}
std::shared_ptr<sdk::Report> CapabilityRegistry::report(const std::string& id) const {
    std::shared_lock lock(mutex_);
    return find_in(reports_, id);
}
std::vector<std::string> CapabilityRegistry::order_type_ids() const {
    std::shared_lock lock(mutex_);
    return ids_of(order_types_);
}
std::vector<std::string> CapabilityRegistry::device_ids() const {
    std::shared_lock lock(mutex_);
    return ids_of(devices_);
}
std::vector<std::string> CapabilityRegistry::payment_method_ids() const {
    std::shared_lock lock(mutex_);
    return ids_of(payment_methods_);
}
std::vector<std::string> CapabilityRegistry::sync_transport_ids() const {
    std::shared_lock lock(mutex_);
    return ids_of(sync_transports_);
}
std::vector<std::string> CapabilityRegistry::report_ids() const {
    std::shared_lock lock(mutex_);
    return ids_of(reports_);
}

}  // namespace till::plugin_host
