// What every domain module is built with: the node's services and settings.
// Made once by the node (kernel/node) and passed by reference; no globals.
#pragma once

#include <memory>

#include "domain/common/ids.hpp"
#include "domain/common/replication.hpp"
#include "domain/common/settings.hpp"
#include "till/sdk/clock.hpp"
#include "till/sdk/events.hpp"
#include "till/sdk/host.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain {

struct DomainContext {
    sdk::Storage& storage;
    sdk::EventBus& events;          ///< publishes with source "kernel"
    const sdk::Clock& clock;
    const sdk::Registry& registry;  ///< order types, payment methods, devices from plugins
    std::shared_ptr<sdk::Logger> logger;
    const sdk::NodeInfo& node;
    const SalesSettings& sales;
    const AuthSettings& auth;
    IdGenerator& ids;
    /// Outbox / change feed: append upstream and master-data changes in the
    /// transaction that makes them (domain/common/replication.hpp).
    ReplicationLog& replication;
};

}  // namespace till::domain
