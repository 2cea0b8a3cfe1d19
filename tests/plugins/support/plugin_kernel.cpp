#include "plugin_kernel.hpp"

#include <catch2/catch.hpp>

#include "plugin_host/discovery.hpp"
#include "storage/migrations.hpp"

namespace till::test {

PluginKernel::PluginKernel() : dir_("till-plugin-kernel") {
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

PluginKernel::~PluginKernel() { stop(); }

sdk::Status PluginKernel::start(const std::string& plugin_id, const sdk::Value& config) {
    sdk::NodeInfo info{"store-test", sdk::NodeRole::store, dir_.file("data"), "test"};
    host_ = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{info, *logs_, clock_, *db_, *bus_, router_});
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

void PluginKernel::stop() {
    if (!host_) return;
    host_->stop();
    host_.reset();
}

std::shared_ptr<sdk::OrderType> PluginKernel::order_type(const std::string& id) const {
    return host_ ? host_->registry().order_type(id) : nullptr;
}

sdk::HttpResponse PluginKernel::get(const std::string& path, std::map<std::string, std::string> query) const {
    auto match = router_.match(sdk::HttpMethod::get, path);
    REQUIRE(match.kind == api::Router::MatchKind::found);
    sdk::HttpRequest request;
    request.path = path;
    request.path_params = match.params;
    request.query = std::move(query);
    return match.handler(request);
}

}  // namespace till::test
