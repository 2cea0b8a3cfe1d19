#include "scanner_rig.hpp"

#include <catch2/catch.hpp>

#include <chrono>

#include "plugin_host/discovery.hpp"
#include "storage/migrations.hpp"

namespace till::test {

ScannerPluginRig::ScannerPluginRig(std::string plugin_id)
    : plugin_id_(std::move(plugin_id)), dir_("till-scanner-rig") {
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

ScannerPluginRig::~ScannerPluginRig() { stop(); }

sdk::Status ScannerPluginRig::start(const sdk::Value& config) {
    sdk::NodeInfo info{"store-test", sdk::NodeRole::store, dir_.file("data"), "test"};
    host_ = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{info, *logs_, clock_, *db_, *bus_, router_});
    host_->adopt(plugin_host::discover_plugins({TILL_TEST_PLUGIN_DIR}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = {plugin_id_};
    auto started = host_->start({{plugin_id_, config}}, selection);
    if (!started.ok()) return started;
    for (const auto& s : host_->statuses())
        if (s.id == plugin_id_)
            return s.state == plugin_host::PluginState::running
                       ? sdk::Status()
                       : sdk::Status::failure(plugin_host::state_name(s.state), s.reason);
    return sdk::Status::failure("not_found", plugin_id_ + " not found in " + TILL_TEST_PLUGIN_DIR);
}

void ScannerPluginRig::stop() {
    if (!host_) return;
    host_->stop();
    host_.reset();
}

std::shared_ptr<sdk::Scanner> ScannerPluginRig::scanner(const std::string& device_id) const {
    auto device = host_ ? host_->registry().device(device_id) : nullptr;
    return std::dynamic_pointer_cast<sdk::Scanner>(device);
}

std::string ScannerPluginRig::log_text() const {
    logs_->flush();
    return read_file(dir_.file("kernel.log"));
}

sdk::Scanner::ScanHandler ScanCollector::handler() {
    return [this](const sdk::ScanData& scan) {
        std::lock_guard lock(mutex_);
        scans_.push_back(scan);
        changed_.notify_all();
    };
}

std::vector<sdk::ScanData> ScanCollector::wait_for(std::size_t count, int timeout_ms) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return scans_.size() >= count; });
    return scans_;
}

std::vector<sdk::ScanData> ScanCollector::scans() const {
    std::lock_guard lock(mutex_);
    return scans_;
}

void enable_scanner(sdk::Scanner& scanner) {
    auto r = scanner.open();
    INFO(r.message);
    REQUIRE(r.ok());
    r = scanner.claim(1000);
    INFO(r.message);
    REQUIRE(r.ok());
    r = scanner.enable();
    INFO(r.message);
    REQUIRE(r.ok());
    REQUIRE(scanner.state() == sdk::DeviceState::enabled);
}

}  // namespace till::test
