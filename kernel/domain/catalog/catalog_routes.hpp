// The catalog's HTTP routes under /api/v1/catalog/ (documented in
// docs/api/openapi.yaml). Every route authenticates the caller;
// reads need only a valid login, changes need the action `catalog.edit`
// and, before that is checked, `replication.may_edit_master_data(type)`
// (a store synced with HQ answers 403: HQ is the master of the catalog).
#pragma once

#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/replication.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::catalog {

class CatalogService;

sdk::Status add_catalog_routes(api::Router& router, CatalogService& service, Authorizer& authorizer,
                               const ReplicationLog& replication);

}  // namespace till::domain::catalog
