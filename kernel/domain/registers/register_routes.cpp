#include "domain/registers/register_routes.hpp"

#include <charconv>
#include <functional>

#include "api/json_body.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"

namespace till::domain::registers {

namespace {

using sdk::HttpMethod;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Value;

constexpr std::int64_t kMaxMoneyMinor = 1'000'000'000'000;  // 10^12 minor units: far above any drawer

sdk::Error bad(std::string message) { return sdk::Error{std::string(error_code::invalid_argument), std::move(message)}; }

std::string register_of(const HttpRequest& request) {
    auto it = request.path_params.find("register_id");
    return it == request.path_params.end() ? std::string() : it->second;
}

HttpResponse answer(const sdk::Result<Value>& result, int status = 200) {
    if (!result) return to_problem(result.error());
    return HttpResponse::json(result.value(), status);
}

/// Non-negative decimal integer in [min, max] from text; nullopt otherwise.
std::optional<std::int64_t> parse_int(const std::string& text, std::int64_t min, std::int64_t max) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() || n < min || n > max)
        return std::nullopt;
    return n;
}

// Authenticated and authorised; then `work` with the authorisation.
HttpResponse guarded(Authorizer& authorizer, const HttpRequest& request, std::string_view action,
                     const std::function<HttpResponse(const Authorization&)>& work) {
    auto who = authorizer.authenticate(request);
    if (!who) return to_problem(who.error());
    auto by = authorizer.authorize(who.value(), action, request);
    if (!by) return to_problem(by.error());
    return work(by.value());
}

// Same, plus the JSON object body.
HttpResponse guarded_body(Authorizer& authorizer, const HttpRequest& request, std::string_view action,
                          const std::function<HttpResponse(const Authorization&, const Value&)>& work) {
    auto who = authorizer.authenticate(request);
    if (!who) return to_problem(who.error());
    auto by = authorizer.authorize(who.value(), action, request);
    if (!by) return to_problem(by.error());
    auto body = api::parse_json_object_body(request);
    if (!body.ok()) return body.problem;
    return work(by.value(), *body.value);
}

HttpResponse open_session(RegisterService& service, Authorizer& authorizer, const HttpRequest& request) {
    return guarded_body(authorizer, request, action::register_open, [&](const Authorization& by, const Value& body) {
        BodyReader r(body);
        auto float_minor = r.integer("opening_float_minor", Need::required, 0, kMaxMoneyMinor);
        auto note = r.string("note", Need::optional, 500);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        return answer(service.open(by, register_of(request), *float_minor, note.value_or("")), 201);
    });
}

HttpResponse cash_movement(RegisterService& service, Authorizer& authorizer, const HttpRequest& request) {
    return guarded_body(authorizer, request, action::register_cash_move,
                        [&](const Authorization& by, const Value& body) {
                            BodyReader r(body);
                            auto direction = r.string("direction", Need::required, 10);
                            auto amount = r.integer("amount_minor", Need::required, 1, kMaxMoneyMinor);
                            auto reason = r.string("reason_code", Need::required, 100);
                            auto note = r.string("note", Need::optional, 500);
                            if (direction && *direction != "in" && *direction != "out")
                                r.fail("$.direction", "must be \"in\" or \"out\", got \"" + *direction + "\"");
                            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
                            CashMovementRequest m;
                            m.direction = *direction == "in" ? CashDirection::in : CashDirection::out;
                            m.amount_minor = *amount;
                            m.reason_code = *reason;
                            m.note = note.value_or("");
                            return answer(service.move_cash(by, register_of(request), m), 201);
                        });
}

HttpResponse no_sale(RegisterService& service, Authorizer& authorizer, const HttpRequest& request) {
    return guarded_body(authorizer, request, action::drawer_no_sale, [&](const Authorization& by, const Value& body) {
        BodyReader r(body);
        auto reason = r.string("reason", Need::required, 500);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        return answer(service.no_sale(by, register_of(request), *reason), 201);
    });
}

HttpResponse close_session(RegisterService& service, Authorizer& authorizer, const HttpRequest& request) {
    return guarded_body(authorizer, request, action::register_close, [&](const Authorization& by, const Value& body) {
        BodyReader r(body);
        const Value* list = r.list("counted", Need::required, 1000);
        auto note = r.string("note", Need::optional, 500);
        std::vector<CountedDenomination> counted;
        if (list) {
            for (std::size_t i = 0; i < list->size(); ++i) {
                const std::string at = "$.counted[" + std::to_string(i) + "]";
                BodyReader item(list->as_list()[i], at);
                auto denomination = item.integer("denomination_minor", Need::required, 1, 100'000'000);
                auto count = item.integer("count", Need::required, 0, 10'000'000);
                if (auto s = item.finish(); !s.ok()) return to_problem(s.error());
                counted.push_back({*denomination, *count});
            }
        }
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        std::vector<std::string> pending;
        auto closed = service.close(by, register_of(request), counted, note.value_or(""), &pending);
        if (closed || pending.empty()) return answer(closed);
        // Refused for payments without an outcome: name them for the client too.
        HttpResponse problem = to_problem(closed.error());
        if (auto parsed = Value::parse_json(problem.body); parsed && parsed->is_map()) {
            Value ids = Value::list();
            for (const auto& id : pending) ids.push_back(id);
            parsed->set("pending_payment_ids", std::move(ids));
            problem.body = parsed->to_json();
        }
        return problem;
    });
}

HttpResponse list_z(RegisterService& service, Authorizer& authorizer, const HttpRequest& request) {
    return guarded(authorizer, request, action::report_z, [&](const Authorization&) {
        std::int64_t limit = 50;
        std::int64_t after = 0;
        if (auto it = request.query.find("limit"); it != request.query.end()) {
            auto n = parse_int(it->second, 1, 500);
            if (!n) return to_problem(bad("query parameter limit must be an integer from 1 to 500, got '" +
                                          it->second + "'"));
            limit = *n;
        }
        if (auto it = request.query.find("cursor"); it != request.query.end()) {
            auto n = parse_int(it->second, 0, INT64_MAX);
            if (!n) return to_problem(bad("query parameter cursor must be a z number from a previous page's "
                                          "\"next\", got '" + it->second + "'"));
            after = *n;
        }
        return answer(service.list_z_reports(register_of(request), after, limit));
    });
}

HttpResponse get_z(RegisterService& service, Authorizer& authorizer, const HttpRequest& request) {
    return guarded(authorizer, request, action::report_z, [&](const Authorization&) {
        const std::string text = request.path_params.count("number") ? request.path_params.at("number") : "";
        auto n = parse_int(text, 1, INT64_MAX);
        if (!n) return to_problem(bad("z report number must be a positive integer, got '" + text + "'"));
        return answer(service.z_report(register_of(request), *n));
    });
}

}  // namespace

sdk::Status add_register_routes(api::Router& router, RegisterService& service, Authorizer& authorizer) {
    struct Spec {
        HttpMethod method;
        const char* pattern;
        sdk::RouteHandler handler;
    };
    RegisterService* s = &service;
    Authorizer* a = &authorizer;
    const std::string base = "/api/v1/registers/{register_id}";
    std::vector<Spec> specs = {
        {HttpMethod::get, "/api/v1/registers",
         [s, a](const HttpRequest& rq) {
             return guarded(*a, rq, action::report_x, [&](const Authorization&) { return answer(s->list_registers()); });
         }},
        {HttpMethod::post, "/sessions", [s, a](const HttpRequest& rq) { return open_session(*s, *a, rq); }},
        {HttpMethod::get, "/sessions/current",
         [s, a](const HttpRequest& rq) {
             return guarded(*a, rq, action::report_x,
                            [&](const Authorization&) { return answer(s->current_session(register_of(rq))); });
         }},
        {HttpMethod::post, "/sessions/current/close",
         [s, a](const HttpRequest& rq) { return close_session(*s, *a, rq); }},
        {HttpMethod::post, "/cash-movements", [s, a](const HttpRequest& rq) { return cash_movement(*s, *a, rq); }},
        {HttpMethod::post, "/no-sale", [s, a](const HttpRequest& rq) { return no_sale(*s, *a, rq); }},
        {HttpMethod::get, "/x-report",
         [s, a](const HttpRequest& rq) {
             return guarded(*a, rq, action::report_x,
                            [&](const Authorization&) { return answer(s->x_report(register_of(rq))); });
         }},
        {HttpMethod::get, "/z-reports", [s, a](const HttpRequest& rq) { return list_z(*s, *a, rq); }},
        {HttpMethod::get, "/z-reports/{number}", [s, a](const HttpRequest& rq) { return get_z(*s, *a, rq); }},
    };
    for (auto& spec : specs) {
        std::string pattern = spec.pattern[0] == '/' && std::string(spec.pattern).rfind("/api/", 0) == 0
                                  ? std::string(spec.pattern)
                                  : base + spec.pattern;
        if (auto st = router.add(spec.method, pattern, std::move(spec.handler), "kernel"); !st.ok()) return st;
    }
    return {};
}

}  // namespace till::domain::registers
