// The store's sync routes served over real HTTP (api::HttpServer on
// 127.0.0.1, port 0) from a SyncRig's engine, with a small token table as the
// Authorizer: "Bearer cashier" has no sync actions, "Bearer manager" has
// sync.view and sync.manage, anything else is unauthorized. (The people
// module's real Authorizer is tested with its module.)
#pragma once

#include <memory>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "sync_rig.hpp"

namespace till::test {

class TokenTableAuthorizer final : public domain::Authorizer {
public:
    sdk::Result<domain::Principal> authenticate(const sdk::HttpRequest& request) const override;
    sdk::Result<domain::Authorization> authorize(const domain::Principal& principal, std::string_view action,
                                                 const sdk::HttpRequest& request) override;
};

struct RouteRig {
    explicit RouteRig(bool enabled = true);
    ~RouteRig();
    SyncRig rig;
    TokenTableAuthorizer authorizer;
    api::Router router;
    std::unique_ptr<api::HttpServer> server;
    int port() const { return server->port(); }
};

}  // namespace till::test
