#include "plugin_host/plugin_host.hpp"

#include <algorithm>

#include "plugin_host/dependency_order.hpp"
#include "plugin_host/plugin_context.hpp"
#include "plugin_host/plugin_library.hpp"
#include "storage/migrations.hpp"

namespace till::plugin_host {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

sdk::Value status_payload(const PluginStatus& s) {
    sdk::Value v = sdk::Value::map();
    v.set("id", s.id);
    v.set("version", s.version);
    v.set("state", state_name(s.state));
    if (!s.reason.empty()) v.set("reason", s.reason);
    return v;
}

}  // namespace

const char* state_name(PluginState state) noexcept {
    switch (state) {
        case PluginState::discovered: return "discovered";
        case PluginState::disabled: return "disabled";
        case PluginState::incompatible: return "incompatible";
        case PluginState::failed_to_load: return "failed_to_load";
        case PluginState::failed_to_start: return "failed_to_start";
        case PluginState::running: return "running";
        case PluginState::stopped: return "stopped";
    }
    return "unknown";
}

namespace {

// Destroys a plugin object inside the plugin's own library.
struct InstanceDeleter {
    void (*destroy)(sdk::PluginInstance*) = nullptr;
    void operator()(sdk::PluginInstance* p) const noexcept {
        if (p && destroy) destroy(p);
    }
};

}  // namespace

// Member order matters: the library is declared first so it is destroyed
// last, after the instance and context made from its code.
struct PluginHost::Record {
    Candidate candidate;
    PluginStatus status;
    sdk::Value config;
    std::unique_ptr<PluginLibrary> library;
    StagedCapabilities staged;
    std::unique_ptr<PluginHostContext> context;
    std::unique_ptr<sdk::PluginInstance, InstanceDeleter> instance;
    bool committed = false;
};

PluginHost::PluginHost(HostServices services)
    : services_(std::move(services)), logger_(services_.logs.logger("kernel.plugins")) {}

PluginHost::~PluginHost() {
    stop();
    // Everything made by plugin code is gone: now the libraries may go.
    records_.clear();
}

void PluginHost::adopt(Discovery discovery) {
    discovery_ = std::move(discovery);
    for (const auto& warning : discovery_.warnings) logger_->warn(warning);
    std::lock_guard lock(status_mutex_);
    records_.clear();
    for (const auto& candidate : discovery_.candidates) {
        auto record = std::make_unique<Record>();
        record->candidate = candidate;
        PluginStatus& s = record->status;
        s.id = candidate.id;
        s.location = candidate.location;
        if (candidate.manifest_ok) {
            const Manifest& m = candidate.manifest;
            s.version = m.version.to_string();
            s.kinds = m.kinds;
            s.stability = m.status;
            s.description = m.description;
        } else {
            s.state = PluginState::failed_to_load;
            s.reason = candidate.problem;
        }
        records_.push_back(std::move(record));
    }
}

std::map<std::string, std::vector<config::KeySpec>> PluginHost::schemas() const {
    std::map<std::string, std::vector<config::KeySpec>> result;
    for (const auto& candidate : discovery_.candidates)
        if (candidate.manifest_ok) result[candidate.id] = candidate.manifest.config_schema;
    return result;
}

void PluginHost::fail(Record& record, PluginState state, std::string reason) {
    {
        std::lock_guard lock(status_mutex_);
        record.status.state = state;
        record.status.reason = std::move(reason);
    }
    logger_->error("plugin " + record.status.id + " " + state_name(state) + ": " + record.status.reason);
    services_.bus.publish_from("kernel", "plugin.failed", status_payload(record.status));
}

void PluginHost::rollback(Record& record) {
    if (record.context) record.context->plugin_events().unsubscribe_all();
    services_.router.remove_owner(record.status.id);
    registry_.remove_owner(record.status.id);
    record.committed = false;
    record.staged = StagedCapabilities{};
    record.instance.reset();
    record.context.reset();
}

bool PluginHost::dependencies_ready(Record& record) {
    for (const auto& dep : record.candidate.manifest.depends) {
        auto it = std::find_if(records_.begin(), records_.end(),
                               [&](const auto& r) { return r->status.id == dep.id; });
        if (it == records_.end()) {
            fail(record, PluginState::failed_to_start,
                 "depends on " + dep.id + " " + dep.range + ", which was not found in plugins.dirs");
            return false;
        }
        const Record& other = **it;
        if (other.status.state != PluginState::running) {
            fail(record, PluginState::failed_to_start,
                 "depends on " + dep.id + ", which is " + state_name(other.status.state));
            return false;
        }
        auto satisfied = version_satisfies(other.candidate.manifest.version, dep.range);
        if (!satisfied || !*satisfied) {
            fail(record, PluginState::failed_to_start,
                 "depends on " + dep.id + " " + dep.range + ", found " + other.status.version);
            return false;
        }
    }
    return true;
}

void PluginHost::start_one(Record& record) {
    const std::string& id = record.status.id;
    if (!dependencies_ready(record)) return;

    auto opened = PluginLibrary::open(record.candidate.manifest);
    if (opened.failure != LoadFailure::none) {
        fail(record,
             opened.failure == LoadFailure::incompatible ? PluginState::incompatible : PluginState::failed_to_load,
             opened.reason);
        return;
    }
    record.library = std::move(opened.library);
    const till_plugin_descriptor& d = record.library->descriptor();

    char error[512] = {};
    sdk::PluginInstance* raw = nullptr;
    try {
        raw = d.create(error, sizeof error);
    } catch (...) {
        raw = nullptr;  // the glue catches; this is the kernel's second net
    }
    if (!raw) {
        fail(record, PluginState::failed_to_start,
             std::string("create failed: ") + (error[0] ? error : "no plugin object"));
        return;
    }
    record.instance = decltype(record.instance)(raw, InstanceDeleter{d.destroy});

    StagingRegistrar registrar(id, record.config, record.staged);
    sdk::Status registered;
    try {
        registered = record.instance->register_capabilities(registrar);
    } catch (...) {
        registered = sdk::Status::failure("plugin_exception", "on_register threw");
    }
    if (!registered.ok()) {
        rollback(record);
        fail(record, PluginState::failed_to_start, "on_register: " + registered.message());
        return;
    }

    if (!record.staged.migrations.empty()) {
        auto migrated = storage::apply_migrations(services_.storage, id, record.staged.migrations);
        if (!migrated.ok()) {
            rollback(record);
            fail(record, PluginState::failed_to_start, "migrations: " + migrated.message());
            return;
        }
    }

    if (auto free = registry_.check_free(record.staged); !free.ok()) {
        rollback(record);
        fail(record, PluginState::failed_to_start, free.message());
        return;
    }
    for (const auto& route : record.staged.routes) {
        auto added = services_.router.add(route.method, route.path, route.handler, id);
        if (!added.ok()) {
            rollback(record);
            fail(record, PluginState::failed_to_start, "route: " + added.message());
            return;
        }
    }
    registry_.add(id, record.staged);
    record.committed = true;

    HostParts parts{services_.node, services_.logs.logger("plugin." + id), services_.clock, services_.storage,
                    services_.bus, registry_, sync_hub_};
    record.context = std::make_unique<PluginHostContext>(id, record.config, std::move(parts));
    for (const auto& sub : record.staged.subscriptions)
        record.context->plugin_events().subscribe(sub.pattern, sub.handler);

    sdk::Status started;
    try {
        started = record.instance->start(*record.context);
    } catch (...) {
        started = sdk::Status::failure("plugin_exception", "on_start threw");
    }
    if (!started.ok()) {
        rollback(record);
        fail(record, PluginState::failed_to_start, "on_start: " + started.message());
        return;
    }
    {
        std::lock_guard lock(status_mutex_);
        record.status.state = PluginState::running;
        record.status.reason.clear();
    }
    started_.push_back(&record);
    logger_->info("plugin " + id + " " + record.status.version + " running");
    services_.bus.publish_from("kernel", "plugin.started", status_payload(record.status));
}

sdk::Status PluginHost::start(const std::map<std::string, sdk::Value>& configs, const PluginSelection& selection) {
    std::map<std::string, std::vector<std::string>> graph;
    for (auto& record : records_) {
        PluginStatus& s = record->status;
        s.required = contains(selection.required, s.id);
        bool selected = (!selection.enabled_given || contains(selection.enabled, s.id)) &&
                        !contains(selection.disabled, s.id);
        if (!selected) {
            std::lock_guard lock(status_mutex_);
            if (s.state == PluginState::discovered) s.state = PluginState::disabled;
            continue;
        }
        if (s.state != PluginState::discovered) {
            logger_->error("plugin " + s.id + " " + state_name(s.state) + ": " + s.reason);
            continue;
        }
        if (auto it = configs.find(s.id); it != configs.end()) record->config = it->second;
        else record->config = sdk::Value::map();
        std::vector<std::string> deps;
        for (const auto& dep : record->candidate.manifest.depends) deps.push_back(dep.id);
        graph[s.id] = deps;
    }
    for (const auto& name : selection.enabled) {
        bool found = std::any_of(records_.begin(), records_.end(), [&](const auto& r) { return r->status.id == name; });
        if (!found) logger_->warn("plugins.enabled names " + name + ", which was not found in plugins.dirs");
    }

    auto order = order_by_dependencies(graph);
    for (const auto& [id, cycle] : order.cycles) {
        auto& record = **std::find_if(records_.begin(), records_.end(), [&](const auto& r) { return r->status.id == id; });
        fail(record, PluginState::failed_to_start, "dependency cycle: " + cycle);
    }
    for (const auto& id : order.order) {
        auto& record = **std::find_if(records_.begin(), records_.end(), [&](const auto& r) { return r->status.id == id; });
        start_one(record);
    }

    std::string missing;
    for (const auto& name : selection.required) {
        auto it = std::find_if(records_.begin(), records_.end(), [&](const auto& r) { return r->status.id == name; });
        std::string problem;
        if (it == records_.end()) problem = name + " was not found in plugins.dirs";
        else if ((*it)->status.state != PluginState::running)
            problem = name + " is " + state_name((*it)->status.state) + ": " + (*it)->status.reason;
        if (!problem.empty()) missing += (missing.empty() ? "" : "; ") + problem;
    }
    if (!missing.empty()) return sdk::Status::failure("required_plugin_failed", "required plugin " + missing);
    return {};
}

void PluginHost::stop() {
    if (stopped_) return;
    stopped_ = true;
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
        Record& record = **it;
        // No new requests or events reach a plugin that is stopping. (A
        // request already running keeps its copy of the handler; the
        // library stays loaded, so it completes safely.)
        services_.router.remove_owner(record.status.id);
        if (record.context) record.context->plugin_events().unsubscribe_all();
        try {
            record.instance->stop();
        } catch (...) {
            logger_->error("plugin " + record.status.id + ": on_stop threw");
        }
        // Its capabilities go before the next plugin (its dependency) stops.
        registry_.remove_owner(record.status.id);
        {
            std::lock_guard lock(status_mutex_);
            record.status.state = PluginState::stopped;
        }
        logger_->info("plugin " + record.status.id + " stopped");
        services_.bus.publish_from("kernel", "plugin.stopped", status_payload(record.status));
    }
    // Objects go before any library; libraries stay until ~PluginHost.
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
        (*it)->staged = StagedCapabilities{};
        (*it)->instance.reset();
        (*it)->context.reset();
    }
    started_.clear();
}

std::vector<PluginStatus> PluginHost::statuses() const {
    std::lock_guard lock(status_mutex_);
    std::vector<PluginStatus> result;
    for (const auto& record : records_) result.push_back(record->status);
    return result;
}

}  // namespace till::plugin_host
