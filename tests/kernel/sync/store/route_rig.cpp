#include "route_rig.hpp"

#include <stdexcept>

#include "sync/sync_routes.hpp"

namespace till::test {

sdk::Result<domain::Principal> TokenTableAuthorizer::authenticate(const sdk::HttpRequest& request) const {
    auto header = request.headers.find("authorization");
    if (header == request.headers.end()) return sdk::Error{"unauthorized", "no Authorization header"};
    if (header->second == "Bearer manager") return domain::Principal{"u-m", "mia", "manager", ""};
    if (header->second == "Bearer cashier") return domain::Principal{"u-c", "carl", "cashier", ""};
    return sdk::Error{"unauthorized", "unknown token"};
}

sdk::Result<domain::Authorization> TokenTableAuthorizer::authorize(const domain::Principal& principal,
                                                                   std::string_view action,
                                                                   const sdk::HttpRequest&) {
    if (principal.role == "manager") return domain::Authorization{principal, "", ""};
    return sdk::Error{"override_required", "your role may not " + std::string(action)};
}

RouteRig::RouteRig(bool enabled) : rig(enabled) {
    rig.register_transport();
    rig.make_engine(true);
    if (auto s = sync::add_sync_routes(router, authorizer, *rig.engine); !s.ok()) throw std::runtime_error(s.message());
    server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, rig.f.bus(), rig.f.ctx().logger);
    if (auto s = server->start(); !s.ok()) throw std::runtime_error(s.message());
}

RouteRig::~RouteRig() {
    server->stop();
    rig.engine->stop();
}

}  // namespace till::test
