// GET /api/v1/audit and GET /api/v1/audit/verify.
#include <string>

#include "api/router.hpp"
#include "domain/audit/audit_trail.hpp"
#include "domain/common/http_errors.hpp"

namespace till::domain::audit {

namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

/// A non-negative integer query parameter; error names it.
sdk::Result<std::int64_t> query_int(const sdk::HttpRequest& request, const std::string& name, std::int64_t fallback,
                                    std::int64_t min, std::int64_t max) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty()) return fallback;
    const std::string& text = it->second;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || value > (max - (c - '0')) / 10)
            return sdk::Error{std::string(error_code::bad_request),
                              "query parameter " + name + " must be an integer from " + std::to_string(min) +
                                  " to " + std::to_string(max) + " (got \"" + text + "\")"};
        value = value * 10 + (c - '0');
    }
    if (value < min)
        return sdk::Error{std::string(error_code::bad_request),
                          "query parameter " + name + " must be at least " + std::to_string(min)};
    return value;
}

}  // namespace

sdk::Status AuditTrail::add_routes(api::Router& router, Authorizer& authorizer) {
    auto list_route = [this, &authorizer](const sdk::HttpRequest& request) {
        auto who = authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto allowed = authorizer.authorize(*who, action::audit_read, request);
        if (!allowed) return to_problem(allowed.error());
        auto after = query_int(request, "after_seq", 0, 0, INT64_MAX);
        if (!after) return to_problem(after.error());
        auto limit = query_int(request, "limit", kDefaultLimit, 1, kMaxLimit);
        if (!limit) return to_problem(limit.error());
        auto entries = list(*after, *limit);
        if (!entries) return to_problem(entries.error());
        sdk::Value items = sdk::Value::list();
        for (const auto& e : *entries) items.push_back(entry_to_value(e));
        sdk::Value body = sdk::Value::map();
        body.set("items", items);
        body.set("next", static_cast<std::int64_t>(entries->size()) == *limit ? sdk::Value(entries->back().seq)
                                                                               : sdk::Value());
        return sdk::HttpResponse::json(body);
    };
    auto verify_route = [this, &authorizer](const sdk::HttpRequest& request) {
        auto who = authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto allowed = authorizer.authorize(*who, action::audit_read, request);
        if (!allowed) return to_problem(allowed.error());
        auto report = verify();
        if (!report) return to_problem(report.error());
        sdk::Value body = sdk::Value::map();
        body.set("ok", report->ok);
        body.set("count", report->count);
        if (!report->ok) {
            body.set("broken_seq", report->broken_seq);
            body.set("problem", report->problem);
        }
        return sdk::HttpResponse::json(body);
    };
    if (auto s = router.add(sdk::HttpMethod::get, "/api/v1/audit", list_route, "kernel"); !s.ok()) return s;
    return router.add(sdk::HttpMethod::get, "/api/v1/audit/verify", verify_route, "kernel");
}

}  // namespace till::domain::audit
