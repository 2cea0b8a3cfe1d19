// The payments routes: authenticate, authorize the step, read the body
// strictly, work, answer (client mistakes as 4xx problem+json).
#include <charconv>
#include <limits>

#include "api/json_body.hpp"
#include "api/router.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/payments/payment_service_impl.hpp"

namespace till::domain::payments {
namespace {

constexpr std::int64_t kMaxAmountMinor = 100'000'000'000'000;  // 10^14 minor units
constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

sdk::Result<std::int64_t> query_int(const sdk::HttpRequest& request, const std::string& key, std::int64_t fallback,
                                    std::int64_t min, std::int64_t max) {
    auto it = request.query.find(key);
    if (it == request.query.end()) return fallback;
    std::int64_t n = 0;
    const auto& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < min || n > max)
        return sdk::Error{std::string(error_code::invalid_argument),
                          "query parameter " + key + ": expected an integer from " + std::to_string(min) + " to " +
                              std::to_string(max) + ", got \"" + text + "\""};
    return n;
}

/// An answer for a recorded attempt: JSON for 2xx, problem+json carrying the
/// payment for a decline (402) or a failure before the provider (503).
sdk::HttpResponse respond(const PaymentAnswer& a) {
    if (a.http_status < 300) {
        sdk::Value body = a.payment;
        body.set("order_settled", a.order_settled);
        body.set("replayed", a.replayed);
        return sdk::HttpResponse::json(body, a.http_status);
    }
    const std::string message = a.payment["message"].as_string();
    const bool declined = a.http_status == 402;
    sdk::Error e{std::string(declined ? error_code::payment_declined : error_code::unavailable),
                 declined ? "payment declined" + (message.empty() ? std::string() : ": " + message)
                          : "payment failed before reaching the provider" +
                                (message.empty() ? std::string() : ": " + message)};
    sdk::HttpResponse r = to_problem(e);
    auto parsed = sdk::Value::parse_json(r.body);
    if (parsed && parsed->is_map()) {
        parsed->set("payment", a.payment);
        r.body = parsed->to_json();
    }
    return r;
}

}  // namespace

sdk::Status PaymentService::add_routes(api::Router& router) {
    using sdk::HttpMethod;
    Impl& im = *impl_;

    auto take = [this, &im](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        auto who = im.authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto by = im.authorizer.authorize(*who, action::payment_take, request);
        if (!by) return to_problem(by.error());
        auto body = api::parse_json_object_body(request);
        if (!body.ok()) return body.problem;
        BodyReader r(*body.value);
        TakePaymentRequest req;
        req.order_id = request.path_params.at("order_id");
        auto method_id = r.string("method_id", Need::required, 64);
        auto amount = r.integer("amount_minor", Need::required, 1, kMaxAmountMinor);
        req.tendered_minor = r.integer("tendered_minor", Need::optional, 0, kMaxAmountMinor);
        auto tip = r.integer("tip_minor", Need::optional, 0, kMaxAmountMinor);
        auto key = r.string("idempotency_key", Need::required, 200);
        auto refund_to = r.string("refund_to", Need::optional, 64);
        if (method_id && method_id->empty()) r.fail("$.method_id", "must not be empty");
        if (key && key->empty()) r.fail("$.idempotency_key", "must not be empty");
        if (key && is_reserved_key(*key))
            r.fail("$.idempotency_key", std::string("must not start with \"") + kReservedKeyPrefix +
                                            "\" (reserved for keys the node makes)");
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        req.method_id = *method_id;
        req.amount_minor = *amount;
        req.tip_minor = tip.value_or(0);
        req.idempotency_key = *key;
        req.refund_to = refund_to.value_or("");
        auto answer = take_payment(*by, req, request);
        if (!answer) return to_problem(answer.error());
        return respond(*answer);
    };
    auto list = [this, &im](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        auto who = im.authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto limit = query_int(request, "limit", kDefaultLimit, 1, kMaxLimit);
        if (!limit) return to_problem(limit.error());
        auto offset = query_int(request, "cursor", 0, 0, std::numeric_limits<std::int32_t>::max());
        if (!offset) return to_problem(offset.error());
        auto page = list_payments(request.path_params.at("order_id"), *offset, *limit);
        if (!page) return to_problem(page.error());
        return sdk::HttpResponse::json(*page);
    };
    auto get = [this, &im](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        auto who = im.authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto payment = get_payment(request.path_params.at("payment_id"));
        if (!payment) return to_problem(payment.error());
        return sdk::HttpResponse::json(*payment);
    };
    auto void_route = [this, &im](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        auto who = im.authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto by = im.authorizer.authorize(*who, action::order_void, request);
        if (!by) return to_problem(by.error());
        std::string reason;
        if (!request.body.empty()) {
            auto body = api::parse_json_object_body(request);
            if (!body.ok()) return body.problem;
            BodyReader r(*body.value);
            auto given = r.string("reason", Need::optional, 500);
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            reason = given.value_or("");
        }
        auto voided = void_payment(*by, request.path_params.at("payment_id"), reason);
        if (!voided) return to_problem(voided.error());
        return sdk::HttpResponse::json(*voided);
    };
    auto resolve_route = [this, &im](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        auto who = im.authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        auto by = im.authorizer.authorize(*who, action::payment_take, request);
        if (!by) return to_problem(by.error());
        if (!request.body.empty()) {  // no fields: an empty object at most
            auto body = api::parse_json_object_body(request);
            if (!body.ok()) return body.problem;
            BodyReader r(*body.value);
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        }
        auto answer = resolve_payment(*by, request.path_params.at("payment_id"));
        if (!answer) return to_problem(answer.error());
        return respond(*answer);
    };
    auto methods = [this, &im](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        auto who = im.authorizer.authenticate(request);
        if (!who) return to_problem(who.error());
        return sdk::HttpResponse::json(list_methods());
    };

    struct Route {
        HttpMethod method;
        const char* path;
        sdk::RouteHandler handler;
    };
    const Route routes[] = {
        {HttpMethod::post, "/api/v1/orders/{order_id}/payments", take},
        {HttpMethod::get, "/api/v1/orders/{order_id}/payments", list},
        {HttpMethod::get, "/api/v1/payments/{payment_id}", get},
        {HttpMethod::post, "/api/v1/payments/{payment_id}/void", void_route},
        {HttpMethod::post, "/api/v1/payments/{payment_id}/resolve", resolve_route},
        {HttpMethod::get, "/api/v1/payment-methods", methods},
    };
    for (const auto& route : routes)
        if (auto s = router.add(route.method, route.path, route.handler, "kernel"); !s.ok()) return s;
    return {};
}

}  // namespace till::domain::payments
