#include "plugin_rig.hpp"

#include <stdexcept>

#include "plugin_host/discovery.hpp"

namespace till::test {

PluginRig::PluginRig(DomainFixture& f, const std::vector<std::string>& plugin_ids,
                     const std::map<std::string, sdk::Value>& configs) {
    log::LogSettings settings;
    settings.level = sdk::LogLevel::warn;
    auto logs = log::LogManager::create(settings);
    if (!logs) throw std::runtime_error("logs: " + logs.error().message);
    logs_ = std::move(*logs);
    sdk::NodeInfo node = f.ctx().node;
    host_ = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{node, *logs_, f.clock(), f.db(), f.bus(), router_});
    host_->adopt(plugin_host::discover_plugins({TILL_TEST_PLUGIN_DIR, TILL_FIXTURE_PLUGIN_DIR}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = plugin_ids;
    selection.required = plugin_ids;
    auto started = host_->start(configs, selection);
    if (!started.ok()) {
        std::string why = started.message();
        for (const auto& s : host_->statuses())
            if (!s.reason.empty()) why += "; " + s.id + ": " + s.reason;
        throw std::runtime_error("plugins did not start: " + why);
    }
    auto& c = f.ctx();
    ctx_.reset(new domain::DomainContext{c.storage, c.events, c.clock, host_->registry(), c.logger, c.node, c.sales,
                                         c.auth, c.ids, c.replication});
}

PluginRig::~PluginRig() {
    if (host_) host_->stop();
}

std::int64_t fixture_calls(sdk::Storage& storage, const std::string& op, const std::string& key) {
    auto r = key.empty() ? storage.query("SELECT COUNT(*) FROM fixture_payment_calls WHERE op = ?", {op})
                         : storage.query("SELECT COUNT(*) FROM fixture_payment_calls WHERE op = ? AND idempotency_key = ?",
                                         {op, key});
    if (!r || r->rows.empty()) throw std::runtime_error("cannot count fixture calls");
    return r->rows[0][0].as_int();
}

}  // namespace till::test
