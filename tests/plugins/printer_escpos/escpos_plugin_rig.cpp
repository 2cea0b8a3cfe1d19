#include "escpos_plugin_rig.hpp"

#include <catch2/catch.hpp>

#include "plugin_host/discovery.hpp"
#include "storage/migrations.hpp"

namespace till::test {

EscposPluginRig::EscposPluginRig() : dir_("till-escpos-rig") {
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

EscposPluginRig::~EscposPluginRig() {
    stop();
}

sdk::Status EscposPluginRig::start(const sdk::Value& config) {
    sdk::NodeInfo info{"store-test", sdk::NodeRole::store, dir_.file("data"), "test"};
    host_ = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{info, *logs_, clock_, *db_, *bus_, router_});
    host_->adopt(plugin_host::discover_plugins({TILL_TEST_PLUGIN_DIR}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = {"printer_escpos"};
    auto started = host_->start({{"printer_escpos", config}}, selection);
    if (!started.ok()) return started;
    for (const auto& s : host_->statuses())
        if (s.id == "printer_escpos")
            return s.state == plugin_host::PluginState::running
                       ? sdk::Status()
                       : sdk::Status::failure(plugin_host::state_name(s.state), s.reason);
    return sdk::Status::failure("not_found", std::string("printer_escpos not found in ") + TILL_TEST_PLUGIN_DIR);
}

void EscposPluginRig::stop() {
    if (!host_) return;
    host_->stop();
    host_.reset();
}

std::shared_ptr<sdk::Device> EscposPluginRig::device(const std::string& id) const {
    return host_ ? host_->registry().device(id) : nullptr;
}

}  // namespace till::test
