// The printing routes: authenticate, authorise like the order routes, read
// strictly, call PrintService, answer JSON / text or problem+json.
#include <charconv>
#include <functional>

#include "api/json_body.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/printing/print_service_impl.hpp"

namespace till::domain::printing {
namespace {

using sdk::HttpMethod;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Value;

HttpResponse answer(const sdk::Result<Value>& result, int status = 200) {
    if (!result) return to_problem(result.error());
    return HttpResponse::json(result.value(), status);
}

std::string param(const HttpRequest& request, const char* name) {
    auto it = request.path_params.find(name);
    return it == request.path_params.end() ? std::string() : it->second;
}

std::optional<std::int64_t> parse_int(const std::string& text, std::int64_t min, std::int64_t max) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < min || n > max) return std::nullopt;
    return n;
}

HttpResponse guarded(Authorizer& authorizer, const HttpRequest& request, std::string_view action,
                     const std::function<HttpResponse(const Authorization&)>& work) {
    auto who = authorizer.authenticate(request);
    if (!who) return to_problem(who.error());
    auto by = authorizer.authorize(who.value(), action, request);
    if (!by) return to_problem(by.error());
    return work(by.value());
}

sdk::Error bad_query(const std::string& name, const std::string& message) {
    return sdk::Error{std::string(error_code::invalid_argument), name + ": " + message};
}

}  // namespace

sdk::Status PrintService::add_routes(api::Router& router) {
    PrintService& service = *this;
    Authorizer& auth = impl_->authorizer;
    auto add = [&](HttpMethod method, const char* path, sdk::RouteHandler handler) {
        return router.add(method, path, std::move(handler), "kernel");
    };

    if (auto s = add(HttpMethod::post, "/api/v1/orders/{order_id}/receipts", [&service, &auth](const HttpRequest& rq) {
            return guarded(auth, rq, action::order_create, [&](const Authorization& by) {
                Value body = Value::map();
                if (!rq.body.empty()) {
                    auto parsed = api::parse_json_object_body(rq);
                    if (!parsed.ok()) return parsed.problem;
                    body = *parsed.value;
                }
                BodyReader r(body);
                auto printer = r.string("printer_id", Need::optional, 100);
                auto kind = r.string("kind", Need::optional, 40);
                if (auto st = r.finish(); !st.ok()) return to_problem(st.error());
                return answer(service.reprint(param(rq, "order_id"), kind.value_or(""), printer.value_or(""),
                                              by.principal.terminal_id),
                              202);
            });
        });
        !s.ok())
        return s;

    // An X report is read with GET (screens poll it); printing its slip is this explicit request.
    if (auto s = add(HttpMethod::post, "/api/v1/registers/{register_id}/x-report/print",
                     [&service, &auth](const HttpRequest& rq) {
                         return guarded(auth, rq, action::report_x, [&](const Authorization&) {
                             const std::string register_id = param(rq, "register_id");
                             if (auto st = service.print_x_report(register_id); !st.ok())
                                 return to_problem(st.error());
                             Value queued = Value::map();
                             queued.set("register_id", register_id);
                             queued.set("kind", "x_report");
                             queued.set("queued", true);
                             return HttpResponse::json(queued, 202);
                         });
                     });
        !s.ok())
        return s;

    if (auto s = add(HttpMethod::get, "/api/v1/orders/{order_id}/receipt.txt", [&service, &auth](const HttpRequest& rq) {
            return guarded(auth, rq, action::order_create, [&](const Authorization&) {
                std::int64_t columns = 0;
                if (auto it = rq.query.find("columns"); it != rq.query.end()) {
                    auto n = parse_int(it->second, 16, 80);
                    if (!n) return to_problem(bad_query("columns", "must be an integer 16..80"));
                    columns = *n;
                }
                std::string kind;
                if (auto it = rq.query.find("kind"); it != rq.query.end()) kind = it->second;
                auto text = service.receipt_text(param(rq, "order_id"), kind, static_cast<int>(columns));
                if (!text) return to_problem(text.error());
                HttpResponse out;
                out.content_type = "text/plain; charset=utf-8";
                out.body = std::move(*text);
                return out;
            });
        });
        !s.ok())
        return s;

    if (auto s = add(HttpMethod::get, "/api/v1/print-jobs", [&service, &auth](const HttpRequest& rq) {
            return guarded(auth, rq, action::order_create, [&](const Authorization&) {
                std::string state;
                if (auto it = rq.query.find("state"); it != rq.query.end()) state = it->second;
                std::int64_t limit = 100;
                if (auto it = rq.query.find("limit"); it != rq.query.end()) {
                    auto n = parse_int(it->second, 1, 1000);
                    if (!n) return to_problem(bad_query("limit", "must be an integer 1..1000"));
                    limit = *n;
                }
                return answer(service.list_jobs(state, limit));
            });
        });
        !s.ok())
        return s;

    if (auto s = add(HttpMethod::post, "/api/v1/print-jobs/{job_id}/retry", [&service, &auth](const HttpRequest& rq) {
            return guarded(auth, rq, action::order_create,
                           [&](const Authorization&) { return answer(service.retry(param(rq, "job_id")), 202); });
        });
        !s.ok())
        return s;

    return add(HttpMethod::post, "/api/v1/print-jobs/{job_id}/cancel", [&service, &auth](const HttpRequest& rq) {
        return guarded(auth, rq, action::order_void,
                       [&](const Authorization&) { return answer(service.cancel(param(rq, "job_id"))); });
    });
}

}  // namespace till::domain::printing
