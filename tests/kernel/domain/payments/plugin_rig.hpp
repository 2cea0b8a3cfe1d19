// Real plugins for the payments tests: a PluginHost over a DomainFixture's
// database, bus and clock that loads the built .so files (payment_cash from
// the build's plugin folder, fixture_payment from the fixture folder), and a
// DomainContext whose registry is the host's.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "domain_fixture.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/plugin_host.hpp"

namespace till::test {

class PluginRig {
public:
    /// Loads and starts `plugin_ids` (all required) with `configs` (plugin
    /// id → config map; defaults applied by the plugins). Throws when one
    /// does not reach `running`.
    PluginRig(DomainFixture& fixture, const std::vector<std::string>& plugin_ids,
              const std::map<std::string, sdk::Value>& configs = {});
    ~PluginRig();

    /// The fixture's context with the plugins' registry.
    domain::DomainContext& ctx() { return *ctx_; }
    const sdk::Registry& registry() const { return host_->registry(); }
    plugin_host::PluginHost& host() { return *host_; }
    void stop() { host_->stop(); }

private:
    std::unique_ptr<log::LogManager> logs_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
    std::unique_ptr<domain::DomainContext> ctx_;
};

/// Rows of fixture_payment_calls with `op` ("sale", "refund", "void", "query").
std::int64_t fixture_calls(sdk::Storage& storage, const std::string& op, const std::string& key = {});

}  // namespace till::test
