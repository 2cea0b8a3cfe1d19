// The catalog's HTTP routes under /api/v1/catalog/ (documented in
// docs/api/openapi.yaml). Every route authenticates the caller;
// reads need only a valid login, changes need the action `catalog.edit`.
#pragma once

#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::catalog {

class CatalogService;

sdk::Status add_catalog_routes(api::Router& router, CatalogService& service, Authorizer& authorizer);

}  // namespace till::domain::catalog
