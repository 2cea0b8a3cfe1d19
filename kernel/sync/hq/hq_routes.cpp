#include "sync/hq/hq_routes.hpp"

#include "api/router.hpp"
#include "domain/common/http_errors.hpp"
#include "sync/hq/hq_hub.hpp"

namespace till::sync::hq {

sdk::Status add_hq_routes(api::Router& router, domain::Authorizer& authorizer, HqHub& hub) {
    auto list_route = [&authorizer, &hub](const sdk::HttpRequest& request) {
        auto who = authorizer.authenticate(request);
        if (!who) return domain::to_problem(who.error());
        auto allowed = authorizer.authorize(*who, domain::action::sync_view, request);
        if (!allowed) return domain::to_problem(allowed.error());
        auto stores = hub.stores();
        if (!stores) return domain::to_problem(stores.error());
        auto revision = hub.current_revision();
        if (!revision) return domain::to_problem(revision.error());
        sdk::Value items = sdk::Value::list();
        for (const auto& s : *stores) items.push_back(store_to_value(s));
        sdk::Value body = sdk::Value::map();
        body.set("revision", *revision);
        body.set("items", std::move(items));
        return sdk::HttpResponse::json(body);
    };
    return router.add(sdk::HttpMethod::get, "/api/v1/sync/stores", list_route, "kernel");
}

}  // namespace till::sync::hq
