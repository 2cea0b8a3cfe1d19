// The people module's HTTP routes: logins, overrides, the caller's profile
// and the users admin.
#include <string>

#include "api/router.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/people/people_service.hpp"

namespace till::domain::people {

namespace {

using sdk::HttpRequest;
using sdk::HttpResponse;

/// The request body as a JSON object, or the problem to answer.
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

HttpResponse locked_problem(const sdk::Error& error, const LockInfo& lock) {
    HttpResponse r = to_problem(error);
    if (lock.retry_after_s > 0) {
        r.headers["Retry-After"] = std::to_string(lock.retry_after_s);
        auto body = sdk::Value::parse_json(r.body);
        if (body && body->is_map()) {
            body->set("locked_until_utc_ms", lock.locked_until_utc_ms);
            body->set("retry_after_s", lock.retry_after_s);
            r.body = body->to_json();
        }
    }
    return r;
}

sdk::Result<std::int64_t> query_int(const HttpRequest& request, const std::string& name, std::int64_t fallback,
                                    std::int64_t min, std::int64_t max) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty()) return fallback;
    std::int64_t value = 0;
    for (char c : it->second) {
        if (c < '0' || c > '9' || value > (max - (c - '0')) / 10)
            return sdk::Error{std::string(error_code::bad_request), "query parameter " + name +
                                                                        " must be an integer from " +
                                                                        std::to_string(min) + " to " +
                                                                        std::to_string(max)};
        value = value * 10 + (c - '0');
    }
    if (value < min)
        return sdk::Error{std::string(error_code::bad_request),
                          "query parameter " + name + " must be at least " + std::to_string(min)};
    return value;
}

constexpr std::size_t kIdMax = 100;

}  // namespace

sdk::Status PeopleService::add_routes(api::Router& router) {
    auto login_route = [this](const HttpRequest& request) {
        auto body = body_object(request);
        if (!body) return to_problem(body.error());
        BodyReader r(*body);
        LoginRequest in;
        auto id = r.string("user_id", Need::optional, kIdMax);
        auto name = r.string("user_name", Need::optional, 64);
        auto pin = r.string("pin", Need::required, 12);
        auto terminal = r.string("terminal_id", Need::optional, kIdMax);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        if (!id == !name)
            return to_problem(invalid_field("$.user_name", "give exactly one of user_name and user_id"));
        in.user_id = id.value_or("");
        in.user_name = name.value_or("");
        in.pin = *pin;
        in.terminal_id = terminal.value_or("");
        LockInfo lock;
        auto result = login(in, &lock);
        if (!result) return locked_problem(result.error(), lock);
        sdk::Value out = sdk::Value::map();
        out.set("token", result->token);
        out.set("expires_utc_ms", result->expires_utc_ms);
        sdk::Value user = result->user;
        sdk::Value perms = sdk::Value::list();
        for (const auto& a : role_actions(user["role"].as_string())) perms.push_back(a);
        user.set("permissions", perms);
        out.set("user", user);
        return HttpResponse::json(out);
    };

    auto override_route = [this](const HttpRequest& request) {
        auto who = authenticate(request);
        if (!who) return to_problem(who.error());
        auto body = body_object(request);
        if (!body) return to_problem(body.error());
        BodyReader r(*body);
        auto act = r.string("action", Need::required, 100);
        auto sup_id = r.string("supervisor_user_id", Need::optional, kIdMax);
        auto sup_name = r.string("supervisor_user_name", Need::optional, 64);
        auto pin = r.string("pin", Need::required, 12);
        auto reason = r.string("reason", Need::required, 500);
        auto for_user = r.string("for_user_id", Need::optional, kIdMax);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        if (!sup_id == !sup_name)
            return to_problem(invalid_field("$.supervisor_user_name",
                                            "give exactly one of supervisor_user_name and supervisor_user_id"));
        OverrideRequest in;
        in.action = *act;
        in.supervisor_user_id = sup_id.value_or("");
        in.supervisor_user_name = sup_name.value_or("");
        in.pin = *pin;
        in.reason = *reason;
        in.for_user_id = for_user.value_or("");
        LockInfo lock;
        auto grant = grant_override(*who, in, &lock);
        if (!grant) return locked_problem(grant.error(), lock);
        sdk::Value out = sdk::Value::map();
        out.set("override_token", grant->token);
        out.set("override_id", grant->override_id);
        out.set("action", grant->action);
        out.set("for_user_id", grant->for_user_id);
        out.set("supervisor_user_id", grant->supervisor_user_id);
        out.set("expires_utc_ms", grant->expires_utc_ms);
        return HttpResponse::json(out, 201);
    };

    auto me_route = [this](const HttpRequest& request) {
        auto who = authenticate(request);
        if (!who) return to_problem(who.error());
        auto user = get_user(who->user_id);
        if (!user) return to_problem(user.error());
        sdk::Value out = *user;
        sdk::Value perms = sdk::Value::list();
        for (const auto& a : role_actions(who->role)) perms.push_back(a);
        out.set("permissions", perms);
        out.set("terminal_id", who->terminal_id);
        return HttpResponse::json(out);
    };

    // Authenticates and checks users.manage; the principal or the problem.
    // `edits_master_data`: the request creates or changes a user, which a
    // store synced with HQ may not do (checked before authorize() so that a
    // refused request spends no override).
    auto manager = [this](const HttpRequest& request, bool edits_master_data = false) -> sdk::Result<Principal> {
        auto who = authenticate(request);
        if (!who) return who.error();
        if (edits_master_data)
            if (auto editable = ctx_.replication.may_edit_master_data(change_type::user); !editable.ok())
                return editable.error();
        auto allowed = authorize(*who, action::users_manage, request);
        if (!allowed) return allowed.error();
        return *who;
    };

    auto list_route = [this, manager](const HttpRequest& request) {
        auto who = manager(request);
        if (!who) return to_problem(who.error());
        auto offset = query_int(request, "offset", 0, 0, INT32_MAX);
        if (!offset) return to_problem(offset.error());
        auto limit = query_int(request, "limit", 50, 1, 500);
        if (!limit) return to_problem(limit.error());
        auto users = list_users(*offset, *limit);
        if (!users) return to_problem(users.error());
        return HttpResponse::json(*users);
    };

    auto create_route = [this, manager](const HttpRequest& request) {
        auto who = manager(request, true);
        if (!who) return to_problem(who.error());
        auto body = body_object(request);
        if (!body) return to_problem(body.error());
        BodyReader r(*body);
        NewUser in;
        auto name = r.string("name", Need::required, 64);
        auto display = r.string("display_name", Need::optional, 100);
        auto role = r.string("role", Need::required, 20);
        auto pin = r.string("pin", Need::required, 12);
        auto active = r.boolean("active", Need::optional);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        in.name = *name;
        in.display_name = display.value_or("");
        in.role = *role;
        in.pin = *pin;
        in.active = active.value_or(true);
        auto user = create_user(*who, in);
        if (!user) return to_problem(user.error());
        return HttpResponse::json(*user, 201);
    };

    auto get_route = [this, manager](const HttpRequest& request) {
        auto who = manager(request);
        if (!who) return to_problem(who.error());
        auto user = get_user(request.path_params.at("user_id"));
        if (!user) return to_problem(user.error());
        return HttpResponse::json(*user);
    };

    auto patch_route = [this, manager](const HttpRequest& request) {
        if (auto anyone = authenticate(request); !anyone) return to_problem(anyone.error());
        auto body = body_object(request);
        if (!body) return to_problem(body.error());
        // Only unlocking (the lockout is the node's own) is allowed on a
        // store whose users come from HQ.
        bool unlock_only = true;
        for (const auto& [key, value] : body->as_map()) unlock_only = unlock_only && key == "unlock";
        auto who = manager(request, !unlock_only);
        if (!who) return to_problem(who.error());
        BodyReader r(*body);
        UserChange change;
        change.display_name = r.string("display_name", Need::optional, 100);
        change.role = r.string("role", Need::optional, 20);
        change.active = r.boolean("active", Need::optional);
        change.pin = r.string("pin", Need::optional, 12);
        change.unlock = r.boolean("unlock", Need::optional).value_or(false);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        auto user = change_user(*who, request.path_params.at("user_id"), change);
        if (!user) return to_problem(user.error());
        return HttpResponse::json(*user);
    };

    using M = sdk::HttpMethod;
    const struct {
        M method;
        const char* path;
        sdk::RouteHandler handler;
    } routes[] = {
        {M::post, "/api/v1/auth/login", login_route},
        {M::post, "/api/v1/auth/overrides", override_route},
        {M::get, "/api/v1/auth/me", me_route},
        {M::get, "/api/v1/users", list_route},
        {M::post, "/api/v1/users", create_route},
        {M::get, "/api/v1/users/{user_id}", get_route},
        {M::patch, "/api/v1/users/{user_id}", patch_route},
    };
    for (const auto& route : routes)
        if (auto s = router.add(route.method, route.path, route.handler, "kernel"); !s.ok()) return s;
    return add_role_routes(router);
}

}  // namespace till::domain::people
