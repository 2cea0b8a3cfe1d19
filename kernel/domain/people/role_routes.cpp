// The roles routes: GET /api/v1/roles, GET|PUT|DELETE /api/v1/roles/{name}.
#include <cstdint>
#include <string>

#include "api/router.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/people/people_service.hpp"

namespace till::domain::people {

namespace {

using sdk::HttpRequest;
using sdk::HttpResponse;

sdk::Result<sdk::Value> body_object(const HttpRequest& request) {
    if (request.body.empty()) return sdk::Error{std::string(error_code::bad_request), "$: a JSON object body is required"};
    auto parsed = sdk::Value::parse_json(request.body);
    if (!parsed) return sdk::Error{std::string(error_code::bad_request), "$: " + parsed.error().message};
    if (!parsed->is_map())
        return sdk::Error{std::string(error_code::bad_request),
                          std::string("$: the body must be a JSON object, got ") +
                              sdk::Value::type_name(parsed->type())};
    return parsed;
}

}  // namespace

sdk::Status PeopleService::add_role_routes(api::Router& router) {
    // Reads: users.manage or roles.manage (else roles.manage by override).
    auto reader = [this](const HttpRequest& request) -> sdk::Result<Principal> {
        auto who = authenticate(request);
        if (!who) return who.error();
        if (role_allows(who->role, action::users_manage) || role_allows(who->role, action::roles_manage)) return *who;
        auto allowed = authorize(*who, action::roles_manage, request);
        if (!allowed) return allowed.error();
        return *who;
    };
    // Changes: roles.manage; a store synced with HQ refuses (checked before
    // authorize() so that a refused request spends no override).
    auto manager = [this](const HttpRequest& request) -> sdk::Result<Principal> {
        auto who = authenticate(request);
        if (!who) return who.error();
        if (auto editable = ctx_.replication.may_edit_master_data(change_type::role); !editable.ok())
            return editable.error();
        auto allowed = authorize(*who, action::roles_manage, request);
        if (!allowed) return allowed.error();
        return *who;
    };

    auto list_route = [this, reader](const HttpRequest& request) {
        auto who = reader(request);
        if (!who) return to_problem(who.error());
        auto roles = list_roles();
        if (!roles) return to_problem(roles.error());
        return HttpResponse::json(*roles);
    };

    auto get_route = [this, reader](const HttpRequest& request) {
        auto who = reader(request);
        if (!who) return to_problem(who.error());
        auto role = get_role(request.path_params.at("name"));
        if (!role) return to_problem(role.error());
        return HttpResponse::json(*role);
    };

    auto put_route = [this, manager](const HttpRequest& request) {
        auto who = manager(request);
        if (!who) return to_problem(who.error());
        const std::string name = request.path_params.at("name");
        if (auto known = get_role(name); !known) return to_problem(known.error());
        auto body = body_object(request);
        if (!body) return to_problem(body.error());
        BodyReader r(*body);
        RoleChange change;
        const sdk::Value* actions = r.list("actions", Need::required, 1000);
        change.expected_version = r.integer("expected_version", Need::optional, 0, INT64_MAX);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        const auto& items = actions->as_list();
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!items[i].is_string())
                return to_problem(invalid_field("$.actions[" + std::to_string(i) + "]",
                                                "expected an action name (a string)"));
            change.actions.push_back(items[i].as_string());
        }
        auto role = put_role(*who, name, change);
        if (!role) return to_problem(role.error());
        return HttpResponse::json(*role);
    };

    auto delete_route = [this, manager](const HttpRequest& request) {
        auto who = manager(request);
        if (!who) return to_problem(who.error());
        auto role = reset_role(*who, request.path_params.at("name"));
        if (!role) return to_problem(role.error());
        return HttpResponse::json(*role);
    };

    using M = sdk::HttpMethod;
    const struct {
        M method;
        const char* path;
        sdk::RouteHandler handler;
    } routes[] = {
        {M::get, "/api/v1/roles", list_route},
        {M::get, "/api/v1/roles/{name}", get_route},
        {M::put, "/api/v1/roles/{name}", put_route},
        {M::del, "/api/v1/roles/{name}", delete_route},
    };
    for (const auto& route : routes)
        if (auto s = router.add(route.method, route.path, route.handler, "kernel"); !s.ok()) return s;
    return sdk::Status::success();
}

}  // namespace till::domain::people
