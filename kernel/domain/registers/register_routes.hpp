// The /api/v1/registers routes: authenticate, authorize, read the body
// strictly, call RegisterService, answer JSON or problem+json.
#pragma once

#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "domain/registers/register_service.hpp"

namespace till::domain::registers {

sdk::Status add_register_routes(api::Router& router, RegisterService& service, Authorizer& authorizer);

}  // namespace till::domain::registers
