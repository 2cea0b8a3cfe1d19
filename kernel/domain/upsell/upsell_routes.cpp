// UpsellService: GET /api/v1/orders/{order_id}/suggestions and
// POST /api/v1/orders/{order_id}/suggestions/accept.
#include <exception>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/upsell/upsell_impl.hpp"

namespace till::domain::upsell {

namespace {

sdk::Result<sdk::Value> parse_body(const sdk::HttpRequest& request) {
    if (request.body.empty()) return invalid_field("$", "expected an object with sku and rule, got an empty body");
    auto parsed = sdk::Value::parse_json(request.body);
    if (!parsed)
        return sdk::Error{std::string(error_code::bad_request), "body is not valid JSON: " + parsed.error().message};
    if (!parsed->is_map())
        return invalid_field("$", std::string("expected an object, got ") + sdk::Value::type_name(parsed->type()));
    return parsed;
}

}  // namespace

sdk::Status UpsellService::add_routes(api::Router& router) {
    using M = sdk::HttpMethod;
    Impl& m = *impl_;
    auto guarded = [&m](sdk::RouteHandler work) -> sdk::RouteHandler {
        return [&m, work = std::move(work)](const sdk::HttpRequest& request) -> sdk::HttpResponse {
            try {
                return work(request);
            } catch (const std::exception& e) {
                m.ctx.logger->error(std::string("upsell route ") + request.path + " failed: " + e.what());
                return to_problem(sdk::Error{"internal", "internal error; see the node log"});
            }
        };
    };

    auto status = router.add(
        M::get, "/api/v1/orders/{order_id}/suggestions",
        guarded([this, &m](const sdk::HttpRequest& request) {
            auto who = m.authorizer.authenticate(request);
            if (!who) return to_problem(who.error());
            auto answer = suggestions_for(request.path_params.at("order_id"));
            if (!answer) return to_problem(answer.error());
            return sdk::HttpResponse::json(*answer);
        }),
        "kernel");
    if (!status.ok()) return status;

    return router.add(
        M::post, "/api/v1/orders/{order_id}/suggestions/accept",
        guarded([this, &m](const sdk::HttpRequest& request) {
            auto who = m.authorizer.authenticate(request);
            if (!who) return to_problem(who.error());
            auto granted = m.authorizer.authorize(*who, action::order_create, request);
            if (!granted) return to_problem(granted.error());
            auto body = parse_body(request);
            if (!body) return to_problem(body.error());
            BodyReader r(*body);
            auto sku = r.string("sku", Need::required, 64);
            auto rule = r.string("rule", Need::required, 500);
            if (r.ok() && sku && sku->empty()) r.fail("$.sku", "must not be empty");
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            auto accepted = accept(request.path_params.at("order_id"), *sku, *rule, granted->principal);
            if (!accepted) return to_problem(accepted.error());
            return sdk::HttpResponse::json(accepted->to_value(), 201);
        }),
        "kernel");
}

}  // namespace till::domain::upsell
