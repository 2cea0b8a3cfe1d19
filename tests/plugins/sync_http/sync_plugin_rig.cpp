#include "sync_plugin_rig.hpp"

#include <catch2/catch.hpp>

#include "plugin_host/discovery.hpp"
#include "storage/migrations.hpp"

namespace till::test {

SyncPluginRig::SyncPluginRig(std::string node_id, sdk::SyncHub* hub)
    : dir_("till-sync-plugin"), node_id_(std::move(node_id)), hub_(hub) {
    log::LogSettings settings;
    settings.file = dir_.file("kernel.log");
    auto created = log::LogManager::create(settings);
    REQUIRE(created);
    logs_ = std::move(created.value());
    auto opened = storage::Database::open({"", dir_.file("data"), 4, 5000});
    REQUIRE(opened);
    db_ = std::move(opened.value());
    REQUIRE(storage::apply_migrations(*db_, "kernel", storage::kernel_migrations()).ok());
    bus_ = std::make_unique<events::EventBusImpl>(clock_, logs_->logger("kernel.events"));
}

SyncPluginRig::~SyncPluginRig() { stop(); }

sdk::Status SyncPluginRig::start(const std::string& plugin_id, const sdk::Value& config) {
    sdk::NodeInfo info{node_id_, hub_ ? sdk::NodeRole::hq : sdk::NodeRole::store, dir_.file("data"), "test"};
    host_ = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{info, *logs_, clock_, *db_, *bus_, router_});
    host_->set_sync_hub(hub_);
    host_->adopt(plugin_host::discover_plugins({TILL_TEST_PLUGIN_DIR}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = {plugin_id};
    auto started = host_->start({{plugin_id, config}}, selection);
    if (!started.ok()) return started;
    for (const auto& s : host_->statuses())
        if (s.id == plugin_id)
            return s.state == plugin_host::PluginState::running
                       ? sdk::Status()
                       : sdk::Status::failure(plugin_host::state_name(s.state), s.reason);
    return sdk::Status::failure("not_found", "plugin " + plugin_id + " not found in " + TILL_TEST_PLUGIN_DIR);
}

void SyncPluginRig::stop() {
    if (!host_) return;
    host_->stop();
    host_.reset();
}

std::shared_ptr<sdk::SyncTransport> SyncPluginRig::transport(const std::string& id) const {
    return host_ ? host_->registry().sync_transport(id) : nullptr;
}

std::string SyncPluginRig::plugin_dir(const std::string& plugin_id) const {
    return dir_.file("data/plugins/" + plugin_id);
}

std::string SyncPluginRig::log_text() const {
    logs_->flush();
    return read_file(dir_.file("kernel.log"));
}

}  // namespace till::test
