// The HQ node's own sync route on the kernel API:
//   GET /api/v1/sync/stores  (action sync.view) → {"revision": N, "items": [store...]}
// each store as store_to_value() shows it (no token, only how many are live).
#pragma once

#include "domain/common/auth.hpp"
#include "till/sdk/status.hpp"

namespace till::api {
class Router;
}

namespace till::sync::hq {

class HqHub;

/// Adds the route (owner "kernel"). `authorizer` and `hub` must outlive the
/// router's use of it.
sdk::Status add_hq_routes(api::Router& router, domain::Authorizer& authorizer, HqHub& hub);

}  // namespace till::sync::hq
