// The sales core assembled: every domain module built from one
// DomainContext, wired through the seams in domain/common (forwarders break
// the orders ↔ registers ↔ payments cycle), migrated, and its routes added.
// The Lua rules engine (config `rules:`) is built and started here too.
// Made by Node::start after the plugin host exists (the registry) and before
// plugins start (so domain routes take their paths first).
#pragma once

#include <memory>

#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "till/sdk/host.hpp"
#include "till/sdk/status.hpp"

namespace till::node {

struct DomainInputs {
    sdk::Storage& storage;
    sdk::EventBus& events;
    const sdk::Clock& clock;
    const sdk::Registry& registry;
    std::shared_ptr<sdk::Logger> logger;
    const sdk::NodeInfo& node;
    sdk::Value sales_section;  ///< validated `sales:` config
    sdk::Value auth_section;   ///< validated `auth:` config
    sdk::Value rules_section;  ///< validated `rules:` config (scripts_dir absolute; "" = no rules)
    sdk::Value sync_section;      ///< validated `sync:` config
    sdk::Value scanning_section;  ///< validated `scanning:` config
    sdk::Value printing_section;  ///< validated `printing:` config (templates_dir absolute)
    std::string storage_url;      ///< HQ on PostgreSQL: for the LISTEN connection
    std::shared_ptr<sdk::Logger> sync_logger;
};

class DomainServices {
public:
    static sdk::Result<std::unique_ptr<DomainServices>> start(DomainInputs inputs, api::Router& router);
    ~DomainServices();
    DomainServices(const DomainServices&) = delete;
    DomainServices& operator=(const DomainServices&) = delete;

    /// Who calls: for the event stream's guard and for plugins' routes.
    domain::Authorizer& authorizer() noexcept;
    /// The Lua rules' status for /api/v1/node: {"enabled": false} when no
    /// rules are configured, else {"enabled": true, ...RulesStatus}.
    sdk::Value rules_status() const;
    /// The HQ sync hub plugins get from Host::sync_hub(); nullptr on a store.
    sdk::SyncHub* sync_hub() noexcept;
    /// After the plugins started: the store's sync engine (its transport is a
    /// plugin), the scanners and the print queue's worker (devices from plugins).
    sdk::Status start_after_plugins();
    /// Stops the sync engine, the scanners, the upsell worker and the rules
    /// watcher; idempotent. Call at shutdown before the plugins stop.
    void stop();
    /// Stops the HQ hub's revision listener. Call after the plugins stopped.
    void stop_after_plugins();

private:
    DomainServices();
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace till::node
