#include "plugin_host/plugin_context.hpp"

namespace till::plugin_host {
namespace {

// Calls a plugin's id() inside the kernel's own guard: no exception from
// plugin code gets past this point.
template <class T>
sdk::Result<std::string> id_of(const std::shared_ptr<T>& object, const char* kind) {
    if (!object) return sdk::Error{"invalid_argument", std::string(kind) + " is null"};
    try {
        std::string id = object->id();
        if (id.empty()) return sdk::Error{"invalid_argument", std::string(kind) + " has an empty id"};
        return id;
    } catch (const std::exception& e) {
        return sdk::Error{"plugin_exception", std::string(kind) + " id() threw: " + e.what()};
    } catch (...) {
        return sdk::Error{"plugin_exception", std::string(kind) + " id() threw"};
    }
}

template <class T>
sdk::Status stage(std::map<std::string, std::shared_ptr<T>>& table, const std::shared_ptr<T>& object,
                  const sdk::Result<std::string>& id, const char* kind) {
    if (!id) return id.status();
    if (!table.emplace(*id, object).second)
        return sdk::Status::failure("conflict", std::string(kind) + " \"" + *id + "\" added twice");
    return {};
}

}  // namespace

StagingRegistrar::StagingRegistrar(std::string plugin_id, const sdk::Value& config, StagedCapabilities& staged)
    : plugin_id_(std::move(plugin_id)), config_(config), staged_(staged) {}

sdk::Status StagingRegistrar::add_route(sdk::HttpMethod method, std::string path, sdk::RouteHandler handler) {
    if (path.empty() || path[0] != '/')
        return sdk::Status::failure("invalid_argument", "route path must start with '/': \"" + path + "\"");
    if (!handler) return sdk::Status::failure("invalid_argument", "route " + path + " has no handler");
    if (path == "/api/v1/events" || path == "/healthz" || path.rfind("/api/v1/node", 0) == 0)
        return sdk::Status::failure("conflict", "route " + path + " is reserved by the kernel");
    staged_.routes.push_back({method, std::move(path), std::move(handler)});
    return {};
}

sdk::Status StagingRegistrar::add_migration(sdk::Migration migration) {
    int expected = static_cast<int>(staged_.migrations.size()) + 1;
    if (migration.version != expected)
        return sdk::Status::failure("invalid_argument", "migration version " + std::to_string(migration.version) +
                                                            " added where version " + std::to_string(expected) +
                                                            " was expected (add them in order from 1)");
    staged_.migrations.push_back(std::move(migration));
    return {};
}

sdk::Status StagingRegistrar::add_order_type(std::shared_ptr<sdk::OrderType> object) {
    return stage(staged_.order_types, object, id_of(object, "order type"), "order type");
}

sdk::Status StagingRegistrar::add_device(std::shared_ptr<sdk::Device> object) {
    if (!object) return sdk::Status::failure("invalid_argument", "device is null");
    std::string id;
    try {
        id = object->device_id();
    } catch (...) {
        return sdk::Status::failure("plugin_exception", "device device_id() threw");
    }
    if (id.empty()) return sdk::Status::failure("invalid_argument", "device has an empty id");
    return stage(staged_.devices, object, sdk::Result<std::string>(id), "device");
}

sdk::Status StagingRegistrar::add_payment_method(std::shared_ptr<sdk::PaymentMethod> object) {
    return stage(staged_.payment_methods, object, id_of(object, "payment method"), "payment method");
}

sdk::Status StagingRegistrar::add_sync_transport(std::shared_ptr<sdk::SyncTransport> object) {
    return stage(staged_.sync_transports, object, id_of(object, "sync transport"), "sync transport");
}

sdk::Status StagingRegistrar::add_report(std::shared_ptr<sdk::Report> object) {
    return stage(staged_.reports, object, id_of(object, "report"), "report");
}

sdk::Status StagingRegistrar::subscribe(std::string topic_pattern, sdk::EventHandler handler) {
    if (topic_pattern.empty() || !handler)
        return sdk::Status::failure("invalid_argument", "subscribe needs a topic pattern and a handler");
    staged_.subscriptions.push_back({std::move(topic_pattern), std::move(handler)});
    return {};
}

PluginHostContext::PluginHostContext(std::string plugin_id, const sdk::Value& config, HostParts parts)
    : plugin_id_(std::move(plugin_id)), config_(config), parts_(std::move(parts)), events_(parts_.bus, plugin_id_) {}

}  // namespace till::plugin_host
