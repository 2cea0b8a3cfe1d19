// The customer directory's HTTP routes (docs/api/openapi.yaml).
#include <string>

#include "api/router.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/customers/customer_rules.hpp"
#include "domain/customers/customer_service.hpp"

namespace till::domain::customers {

namespace {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Value;

constexpr std::int64_t kMaxVersion = std::int64_t{1} << 62;

sdk::Error bad_request(std::string message) {
    return sdk::Error{std::string(error_code::bad_request), std::move(message)};
}

/// The request body as a JSON object, or the problem to answer.
sdk::Result<Value> body_object(const HttpRequest& request) {
    if (request.body.empty()) return bad_request("$: a JSON object body is required");
    auto parsed = Value::parse_json(request.body);
    if (!parsed) return bad_request("$: " + parsed.error().message);
    if (!parsed->is_map())
        return bad_request(std::string("$: the body must be a JSON object, got ") + Value::type_name(parsed->type()));
    return parsed;
}

sdk::Result<std::int64_t> query_int(const HttpRequest& request, const std::string& name, std::int64_t fallback,
                                    std::int64_t min, std::int64_t max) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty()) return fallback;
    std::int64_t value = 0;
    const auto refuse = [&] {
        return bad_request("query parameter " + name + ": expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + it->second + "'");
    };
    if (it->second.size() > 18) return refuse();
    for (char c : it->second) {
        if (c < '0' || c > '9') return refuse();
        value = value * 10 + (c - '0');
    }
    if (value < min || value > max) return refuse();
    return value;
}

sdk::Result<bool> query_bool(const HttpRequest& request, const std::string& name) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty() || it->second == "false") return false;
    if (it->second == "true") return true;
    return bad_request("query parameter " + name + ": expected true or false, got '" + it->second + "'");
}

/// problem+json for `error`, with the conflict's details as members.
HttpResponse problem(const sdk::Error& error, const ConflictInfo& conflict = {}) {
    HttpResponse r = to_problem(error);
    if (error.code != error_code::conflict) return r;
    auto body = Value::parse_json(r.body);
    if (!body || !body->is_map()) return r;
    if (conflict.current_version > 0) body->set("current_version", conflict.current_version);
    if (!conflict.existing_customer_id.empty()) body->set("existing_customer_id", conflict.existing_customer_id);
    r.body = body->to_json();
    return r;
}

/// Reads the text fields a create and a patch share.
struct TextFields {
    std::optional<std::string> display_name, given_name, family_name, email, phone, note, tax_exempt_reference;
    std::optional<bool> tax_exempt, marketing_opt_in;

    void read(BodyReader& r) {
        display_name = r.string("display_name", Need::optional, limits::display_name_bytes);
        given_name = r.string("given_name", Need::optional, limits::name_bytes);
        family_name = r.string("family_name", Need::optional, limits::name_bytes);
        email = r.string("email", Need::optional, limits::email_bytes);
        phone = r.string("phone", Need::optional, limits::phone_bytes);
        note = r.string("note", Need::optional, limits::note_bytes);
        tax_exempt = r.boolean("tax_exempt", Need::optional);
        tax_exempt_reference = r.string("tax_exempt_reference", Need::optional, limits::reference_bytes);
        marketing_opt_in = r.boolean("marketing_opt_in", Need::optional);
    }
};

sdk::Result<NewCustomer> read_new(const Value& body) {
    BodyReader r(body);
    TextFields f;
    f.read(r);
    if (auto s = r.finish(); !s.ok()) return s.error();
    NewCustomer n;
    n.display_name = f.display_name;
    n.given_name = f.given_name.value_or("");
    n.family_name = f.family_name.value_or("");
    n.email = f.email.value_or("");
    n.phone = f.phone.value_or("");
    n.note = f.note.value_or("");
    n.tax_exempt = f.tax_exempt.value_or(false);
    n.tax_exempt_reference = f.tax_exempt_reference.value_or("");
    n.marketing_opt_in = f.marketing_opt_in.value_or(false);
    return n;
}

sdk::Result<CustomerPatch> read_patch(const Value& body) {
    BodyReader r(body);
    CustomerPatch p;
    auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
    TextFields f;
    f.read(r);
    auto active = r.boolean("active", Need::optional);
    if (auto s = r.finish(); !s.ok()) return s.error();
    p.expected_version = *version;
    p.display_name = f.display_name;
    p.given_name = f.given_name;
    p.family_name = f.family_name;
    p.email = f.email;
    p.phone = f.phone;
    p.note = f.note;
    p.tax_exempt = f.tax_exempt;
    p.tax_exempt_reference = f.tax_exempt_reference;
    p.marketing_opt_in = f.marketing_opt_in;
    p.active = active;
    return p;
}

sdk::Result<std::int64_t> read_expected_version(const Value& body) {
    BodyReader r(body);
    auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
    if (auto s = r.finish(); !s.ok()) return s.error();
    return *version;
}

/// Asks for one more action; the override (if one was used) is kept for
/// the audit entry.
sdk::Status also_authorize(Authorizer& auth, Authorization& granted, std::string_view action,
                           const HttpRequest& request) {
    auto more = auth.authorize(granted.principal, action, request);
    if (!more) return more.status();
    if (!more->override_user_id.empty()) {
        granted.override_user_id = more->override_user_id;
        granted.override_reason = more->override_reason;
    }
    return {};
}

}  // namespace

sdk::Status CustomerService::add_routes(api::Router& router) {
    Authorizer& auth = authorizer_;
    CustomerService& svc = *this;
    using M = sdk::HttpMethod;

    auto create_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        auto granted = auth.authorize(*who, action::order_create, request);
        if (!granted) return problem(granted.error());
        auto body = body_object(request);
        if (!body) return problem(body.error());
        auto input = read_new(*body);
        if (!input) return problem(input.error());
        if (input->tax_exempt) {
            if (auto s = also_authorize(auth, *granted, action::price_override, request); !s.ok())
                return problem(s.error());
        }
        ConflictInfo conflict;
        auto made = svc.create(Actor::from(*granted), *input, &conflict);
        if (!made) return problem(made.error(), conflict);
        HttpResponse r = HttpResponse::json(customer_to_value(*made), 201);
        r.headers["Location"] = "/api/v1/customers/" + made->id;
        return r;
    };

    auto list_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        SearchQuery query;
        auto limit = query_int(request, "limit", 50, 1, 500);
        if (!limit) return problem(limit.error());
        query.limit = *limit;
        auto inactive = query_bool(request, "include_inactive");
        if (!inactive) return problem(inactive.error());
        query.include_inactive = *inactive;
        if (auto it = request.query.find("q"); it != request.query.end()) {
            if (it->second.size() > 200) return problem(bad_request("query parameter q: longer than 200 bytes"));
            if (!is_clean_text(it->second))
                return problem(bad_request("query parameter q: must be UTF-8 text without NUL characters"));
            query.q = it->second;
        }
        if (auto it = request.query.find("cursor"); it != request.query.end()) query.cursor = it->second;
        auto page = svc.search(query);
        if (!page) return problem(page.error());
        Value items = Value::list();
        for (const Customer& c : page->items) items.push_back(customer_to_value(c));
        Value body = Value::map();
        body.set("items", std::move(items));
        body.set("next", page->next.empty() ? Value() : Value(page->next));
        return HttpResponse::json(body);
    };

    auto get_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        const std::string& id = request.path_params.at("customer_id");
        auto found = svc.get(id);
        if (!found) return problem(found.error());
        if (!*found) return problem(sdk::Error{std::string(error_code::not_found), "no customer with id " + id});
        return HttpResponse::json(customer_to_value(**found));
    };

    auto patch_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        auto granted = auth.authorize(*who, action::order_create, request);
        if (!granted) return problem(granted.error());
        auto body = body_object(request);
        if (!body) return problem(body.error());
        auto patch = read_patch(*body);
        if (!patch) return problem(patch.error());
        const std::string& id = request.path_params.at("customer_id");

        // Which further permissions the change needs depends on what it
        // changes: decide on the current record. The service applies the
        // patch only to this same version, so the decision holds.
        auto current = svc.get(id);
        if (!current) return problem(current.error());
        if (!*current) return problem(sdk::Error{std::string(error_code::not_found), "no customer with id " + id});
        if ((*current)->version != patch->expected_version) {
            ConflictInfo conflict{(*current)->version, {}};
            return problem(sdk::Error{std::string(error_code::conflict),
                                      "$.expected_version: customer " + id + " is at version " +
                                          std::to_string((*current)->version) + ", not " +
                                          std::to_string(patch->expected_version) +
                                          "; reload it and apply the change again"},
                           conflict);
        }
        auto outcome = apply_patch(**current, *patch);
        if (!outcome) return problem(outcome.error());
        if (changes_tax_exemption(*outcome)) {
            if (auto s = also_authorize(auth, *granted, action::price_override, request); !s.ok())
                return problem(s.error());
        }
        if ((*current)->active != outcome->after.active) {
            if (auto s = also_authorize(auth, *granted, action::users_manage, request); !s.ok())
                return problem(s.error());
        }
        ConflictInfo conflict;
        auto done = svc.update(Actor::from(*granted), id, *patch, &conflict);
        if (!done) return problem(done.error(), conflict);
        return HttpResponse::json(customer_to_value(*done));
    };

    auto deactivate_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        auto granted = auth.authorize(*who, action::users_manage, request);
        if (!granted) return problem(granted.error());
        auto body = body_object(request);
        if (!body) return problem(body.error());
        auto version = read_expected_version(*body);
        if (!version) return problem(version.error());
        ConflictInfo conflict;
        auto done = svc.deactivate(Actor::from(*granted), request.path_params.at("customer_id"), *version, &conflict);
        if (!done) return problem(done.error(), conflict);
        return HttpResponse::json(customer_to_value(*done));
    };

    const struct {
        M method;
        const char* path;
        sdk::RouteHandler handler;
    } routes[] = {
        {M::post, "/api/v1/customers", create_route},
        {M::get, "/api/v1/customers", list_route},
        {M::get, "/api/v1/customers/{customer_id}", get_route},
        {M::patch, "/api/v1/customers/{customer_id}", patch_route},
        {M::post, "/api/v1/customers/{customer_id}/deactivate", deactivate_route},
    };
    for (const auto& route : routes)
        if (auto s = router.add(route.method, route.path, route.handler, "kernel"); !s.ok()) return s;
    return sdk::Status::success();
}

}  // namespace till::domain::customers
