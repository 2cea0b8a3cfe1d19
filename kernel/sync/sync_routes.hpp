// The store's sync routes (docs/sync.md, "Status"), added by the node:
//   GET  /api/v1/sync/status  (action sync.view)   the engine's SyncStatus
//   POST /api/v1/sync/push    (action sync.manage) push now, answer the status
//   POST /api/v1/sync/pull    (action sync.manage) pull now, answer the status
// push/pull answer 409 (invalid_state) when sync.enabled is false.
#pragma once

#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "sync/sync_engine.hpp"

namespace till::sync {

/// `authorizer` and `engine` must outlive the router's use of the routes.
sdk::Status add_sync_routes(api::Router& router, domain::Authorizer& authorizer, SyncEngine& engine);

}  // namespace till::sync
