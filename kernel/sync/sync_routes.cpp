#include "sync/sync_routes.hpp"

#include "domain/common/http_errors.hpp"

namespace till::sync {
namespace {

using domain::to_problem;

sdk::HttpResponse refuse_disabled() {
    return to_problem(sdk::Error{std::string(domain::error_code::invalid_state),
                                 "sync is not enabled on this node (sync.enabled: false)"});
}

}  // namespace

sdk::Status add_sync_routes(api::Router& router, domain::Authorizer& authorizer, SyncEngine& engine) {
    auto status_route = [&authorizer, &engine](const sdk::HttpRequest& request) {
        auto who = authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto allowed = authorizer.authorize(*who, domain::action::sync_view, request);
        if (!allowed) return to_problem(allowed.error());
        return sdk::HttpResponse::json(engine.status().to_value());
    };
    auto push_route = [&authorizer, &engine](const sdk::HttpRequest& request) {
        auto who = authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto allowed = authorizer.authorize(*who, domain::action::sync_manage, request);
        if (!allowed) return to_problem(allowed.error());
        if (!engine.settings().enabled) return refuse_disabled();
        return sdk::HttpResponse::json(engine.push_now().to_value());
    };
    auto pull_route = [&authorizer, &engine](const sdk::HttpRequest& request) {
        auto who = authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto allowed = authorizer.authorize(*who, domain::action::sync_manage, request);
        if (!allowed) return to_problem(allowed.error());
        if (!engine.settings().enabled) return refuse_disabled();
        return sdk::HttpResponse::json(engine.pull_now().to_value());
    };
    if (auto s = router.add(sdk::HttpMethod::get, "/api/v1/sync/status", status_route, "kernel"); !s.ok()) return s;
    if (auto s = router.add(sdk::HttpMethod::post, "/api/v1/sync/push", push_route, "kernel"); !s.ok()) return s;
    return router.add(sdk::HttpMethod::post, "/api/v1/sync/pull", pull_route, "kernel");
}

}  // namespace till::sync
