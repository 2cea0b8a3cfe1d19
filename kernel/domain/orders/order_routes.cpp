// OrderService: the REST routes under /api/v1/orders. Each handler
// authenticates, authorises the route's base action, reads its body
// strictly (unknown fields and wrong types are 4xx naming the JSON path),
// then calls the operation. Restricted steps found on the way (a discount
// over the limit, a price override, a void, a refund over the limit) are
// authorised through a Permit bound to the request, so X-Till-Override works.
#include <exception>
#include <optional>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/orders/line_rules.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/order_state.hpp"
#include "domain/orders/request_text.hpp"

namespace till::domain {

using namespace orders;

namespace {

constexpr std::int64_t kMaxQtyMilli = 1'000'000'000'000;  // a million tonnes is a typo, not a sale
constexpr std::int64_t kMaxMoneyMinor = std::int64_t{1} << 50;
constexpr std::int64_t kMaxVersion = std::int64_t{1} << 62;

/// Whether a Content-Type names JSON (application/json or application/*+json).
bool is_json_media_type(std::string type) {
    if (auto semi = type.find(';'); semi != std::string::npos) type.resize(semi);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
    for (char& c : type)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (type == "application/json") return true;
    return type.rfind("application/", 0) == 0 && type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0;
}

/// The body as a JSON object ({} when empty), or the problem to answer
/// (a ready response: 415 is not one of the domain's error codes).
std::optional<sdk::HttpResponse> parse_body(const sdk::HttpRequest& request, sdk::Value& out) {
    out = sdk::Value::map();
    if (request.body.empty()) return std::nullopt;
    if (auto ct = request.headers.find("content-type");
        ct != request.headers.end() && !ct->second.empty() && !is_json_media_type(ct->second))
        return sdk::HttpResponse::problem(415, "unsupported media type",
                                          "expected Content-Type application/json, got '" + ct->second + "'");
    auto parsed = sdk::Value::parse_json(request.body);
    if (!parsed)
        return to_problem(
            sdk::Error{std::string(error_code::bad_request), "body is not valid JSON: " + parsed.error().message});
    if (!parsed->is_map())
        return to_problem(
            invalid_field("$", std::string("expected an object, got ") + sdk::Value::type_name(parsed->type())));
    if (auto bad = unclean_text_path(*parsed))
        return to_problem(invalid_field(*bad, "must be UTF-8 text without NUL characters"));
    out = std::move(*parsed);
    return std::nullopt;
}

sdk::HttpResponse order_response(const Order& order, int status = 200) {
    return sdk::HttpResponse::json(order_to_json(order), status);
}

template <class T>
sdk::HttpResponse answer(const sdk::Result<T>& result, int status = 200) {
    if (!result) return to_problem(result.error());
    return order_response(*result, status);
}

/// Parses a non-negative integer query parameter; nullopt when absent.
sdk::Result<std::optional<std::int64_t>> query_int(const sdk::HttpRequest& request, const std::string& name,
                                                   std::int64_t min, std::int64_t max) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty()) return std::optional<std::int64_t>{};
    const std::string& text = it->second;
    std::int64_t n = 0;
    bool ok = text.size() <= 18;
    for (char c : text) ok = ok && c >= '0' && c <= '9';
    if (ok) n = std::stoll(text);
    if (!ok || n < min || n > max)
        return sdk::Error{std::string(error_code::invalid_argument),
                          "query parameter " + name + ": expected an integer from " + std::to_string(min) + " to " +
                              std::to_string(max) + ", got \"" + text + "\""};
    return std::optional<std::int64_t>(n);
}

std::optional<std::vector<std::string>> read_string_list(BodyReader& r, std::string_view key) {
    const sdk::Value* list = r.list(key, Need::optional, 100);
    if (!list) return std::nullopt;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& v = list->as_list()[i];
        if (!v.is_string() || v.as_string().empty()) {
            r.fail(r.path_of(key) + "[" + std::to_string(i) + "]", "expected a non-empty string");
            return std::nullopt;
        }
        out.push_back(v.as_string());
    }
    return out;
}

}  // namespace

sdk::Status OrderService::add_routes(api::Router& router) {
    using M = sdk::HttpMethod;
    // Runs `work` for an authenticated caller allowed `action`, turning a
    // stray exception into a logged 500 (client mistakes never get here).
    auto route = [this](std::string_view action,
                        std::function<sdk::HttpResponse(const sdk::HttpRequest&, const Authorization&, const Permit&)>
                            work) -> sdk::RouteHandler {
        return [this, action, work = std::move(work)](const sdk::HttpRequest& request) -> sdk::HttpResponse {
            try {
                auto who = authorizer_.authenticate(request);
                if (!who) return to_problem(who.error());
                // Ids are UUID text: anything else names nothing (and must
                // not reach storage: PostgreSQL refuses bytes that are not UTF-8).
                for (const auto& [name, value] : request.path_params)
                    if (value.size() > 100 || !is_clean_text(value))
                        return to_problem(sdk::Error{std::string(error_code::not_found),
                                                     "path parameter " + name + " is not an id"});
                for (const auto& [name, value] : request.query)
                    if (value.size() > 1000 || !is_clean_text(value) || !is_clean_text(name))
                        return to_problem(sdk::Error{std::string(error_code::invalid_argument),
                                                     "query parameter " + (is_clean_text(name) ? name : "?") +
                                                         ": must be UTF-8 text without NUL, at most 1000 bytes"});
                Authorization by{*who, "", ""};
                if (!action.empty()) {
                    auto granted = authorizer_.authorize(*who, action, request);
                    if (!granted) return to_problem(granted.error());
                    by = *granted;
                }
                Principal principal = *who;
                Permit permit = [this, &request, principal](std::string_view a) {
                    return authorizer_.authorize(principal, a, request);
                };
                return work(request, by, permit);
            } catch (const std::exception& e) {
                ctx_.logger->error(std::string("orders route ") + request.path + " failed: " + e.what());
                return to_problem(sdk::Error{"internal", "internal error; see the node log"});
            }
        };
    };

    std::vector<std::tuple<M, std::string, sdk::RouteHandler>> routes;

    routes.emplace_back(M::post, "/api/v1/orders",
                        route(action::order_create, [this](const sdk::HttpRequest& req, const Authorization& by,
                                                           const Permit&) {
                            sdk::Value body;
                            if (auto bad = parse_body(req, body)) return *bad;
                            BodyReader r(body);
                            OpenOrderRequest o;
                            o.order_type_id = r.string("order_type", Need::required, 100).value_or("");
                            o.customer_id = r.string("customer_id", Need::optional, 200).value_or("");
                            if (const sdk::Value* f = r.object("fields", Need::optional)) o.fields = *f;
                            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
                            return answer(open_order(by, o), 201);
                        }));

    routes.emplace_back(M::get, "/api/v1/orders",
                        route("", [this](const sdk::HttpRequest& req, const Authorization&, const Permit&) {
                            ListQuery q;
                            for (const auto& [k, v] : req.query)
                                if (k != "state" && k != "session" && k != "limit" && k != "cursor")
                                    return to_problem(sdk::Error{std::string(error_code::invalid_argument),
                                                                 "query parameter " + k + ": unknown (known: state, "
                                                                 "session, limit, cursor)"});
                            if (auto it = req.query.find("state"); it != req.query.end()) {
                                if (!state_from_name(it->second))
                                    return to_problem(sdk::Error{std::string(error_code::invalid_argument),
                                                                 "query parameter state: unknown state \"" +
                                                                     it->second + "\""});
                                q.state = it->second;
                            }
                            if (auto it = req.query.find("session"); it != req.query.end()) q.session_id = it->second;
                            if (auto it = req.query.find("cursor"); it != req.query.end()) q.cursor = it->second;
                            auto limit = query_int(req, "limit", 1, 500);
                            if (!limit) return to_problem(limit.error());
                            q.limit = static_cast<int>(limit->value_or(50));
                            auto page = list(q);
                            if (!page) return to_problem(page.error());
                            sdk::Value out = sdk::Value::map();
                            sdk::Value items = sdk::Value::list();
                            for (const auto& o : page->items) items.push_back(order_summary_json(o));
                            out.set("items", std::move(items));
                            out.set("next", page->next.empty() ? sdk::Value() : sdk::Value(page->next));
                            return sdk::HttpResponse::json(out);
                        }));

    routes.emplace_back(M::get, "/api/v1/orders/{order_id}",
                        route("", [this](const sdk::HttpRequest& req, const Authorization&, const Permit&) {
                            return answer(get(req.path_params.at("order_id")));
                        }));

    routes.emplace_back(
        M::patch, "/api/v1/orders/{order_id}",
        route(action::order_create, [this](const sdk::HttpRequest& req, const Authorization& by, const Permit& permit) {
            sdk::Value body;
            if (auto bad = parse_body(req, body)) return *bad;
            BodyReader r(body);
            auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
            ChangeOrderRequest c;
            c.customer_id = r.string("customer_id", Need::optional, 200);
            if (const sdk::Value* f = r.object("fields", Need::optional)) c.fields = *f;
            c.discount = read_discount(r, "discount");
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            return answer(change_order(req.path_params.at("order_id"), *version, c, by, permit));
        }));

    routes.emplace_back(
        M::post, "/api/v1/orders/{order_id}/lines",
        route(action::order_create, [this](const sdk::HttpRequest& req, const Authorization& by, const Permit& permit) {
            sdk::Value body;
            if (auto bad = parse_body(req, body)) return *bad;
            BodyReader r(body);
            auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
            AddLineRequest a;
            auto sku = r.string("sku", Need::optional, 200);
            auto barcode = r.string("barcode", Need::optional, 200);
            if (r.ok() && sku && barcode) r.fail("$.barcode", "give sku or barcode, not both");
            if (r.ok() && !sku && !barcode) r.fail("$.sku", "is required (or give barcode)");
            if (r.ok() && sku && sku->empty()) r.fail("$.sku", "must not be empty");
            if (r.ok() && barcode && barcode->empty()) r.fail("$.barcode", "must not be empty");
            a.sku = sku ? *sku : barcode.value_or("");
            a.sku_path = sku ? "$.sku" : "$.barcode";
            a.qty_milli = r.integer("qty_milli", Need::optional, 1, kMaxQtyMilli).value_or(1000);
            a.modifier_ids = read_string_list(r, "modifiers").value_or(std::vector<std::string>{});
            a.note = r.string("note", Need::optional, 500).value_or("");
            a.discount = read_discount(r, "discount");
            a.unit_price_minor = r.integer("unit_price_minor", Need::optional, 0, kMaxMoneyMinor);
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            auto result = add_line(req.path_params.at("order_id"), *version, a, by, permit);
            if (!result) return to_problem(result.error());
            sdk::HttpResponse resp = order_response(*result, 201);
            if (!result->lines.empty())
                resp.headers["Location"] =
                    "/api/v1/orders/" + result->order_id + "/lines/" + result->lines.back().line_id;
            return resp;
        }));

    routes.emplace_back(
        M::patch, "/api/v1/orders/{order_id}/lines/{line_id}",
        route(action::order_create, [this](const sdk::HttpRequest& req, const Authorization& by, const Permit& permit) {
            sdk::Value body;
            if (auto bad = parse_body(req, body)) return *bad;
            BodyReader r(body);
            auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
            ChangeLineRequest c;
            c.qty_milli = r.integer("qty_milli", Need::optional, 1, kMaxQtyMilli);
            c.note = r.string("note", Need::optional, 500);
            c.discount = read_discount(r, "discount");
            c.unit_price_minor = r.integer("unit_price_minor", Need::optional, 0, kMaxMoneyMinor);
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            return answer(change_line(req.path_params.at("order_id"), req.path_params.at("line_id"), *version, c, by,
                                      permit));
        }));

    routes.emplace_back(
        M::del, "/api/v1/orders/{order_id}/lines/{line_id}",
        route(action::order_create, [this](const sdk::HttpRequest& req, const Authorization& by, const Permit& permit) {
            // expected_version (and an optional reason) in the query or in a JSON body.
            sdk::Value body;
            if (auto bad = parse_body(req, body)) return *bad;
            BodyReader r(body);
            auto version = r.integer("expected_version", Need::optional, 1, kMaxVersion);
            auto reason = r.string("reason", Need::optional, 500);
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            if (!version) {
                auto q = query_int(req, "expected_version", 1, kMaxVersion);
                if (!q) return to_problem(q.error());
                version = *q;
            }
            if (!version) return to_problem(invalid_field("$.expected_version", "is required (body or query)"));
            if (!reason)
                if (auto it = req.query.find("reason"); it != req.query.end()) reason = it->second;
            return answer(remove_line(req.path_params.at("order_id"), req.path_params.at("line_id"), *version,
                                      reason.value_or(""), by, permit));
        }));

    // submit and close: a body with just expected_version.
    auto version_only = [](const sdk::HttpRequest& req, std::int64_t& version) -> std::optional<sdk::HttpResponse> {
        sdk::Value body;
        if (auto bad = parse_body(req, body)) return *bad;
        BodyReader r(body);
        auto v = r.integer("expected_version", Need::required, 1, kMaxVersion);
        if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
        version = *v;
        return std::nullopt;
    };

    routes.emplace_back(M::post, "/api/v1/orders/{order_id}/submit",
                        route(action::order_create, [this, version_only](const sdk::HttpRequest& req,
                                                                         const Authorization& by, const Permit&) {
                            std::int64_t version = 0;
                            if (auto bad = version_only(req, version)) return *bad;
                            return answer(submit(req.path_params.at("order_id"), version, by));
                        }));

    routes.emplace_back(M::post, "/api/v1/orders/{order_id}/close",
                        route(action::order_create, [this, version_only](const sdk::HttpRequest& req,
                                                                         const Authorization& by, const Permit&) {
                            std::int64_t version = 0;
                            if (auto bad = version_only(req, version)) return *bad;
                            return answer(close(req.path_params.at("order_id"), version, by));
                        }));

    routes.emplace_back(
        M::post, "/api/v1/orders/{order_id}/void",
        route("", [this](const sdk::HttpRequest& req, const Authorization& by, const Permit& permit) {
            sdk::Value body;
            if (auto bad = parse_body(req, body)) return *bad;
            BodyReader r(body);
            auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
            auto reason = r.string("reason", Need::required, 500);
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            return answer(void_order(req.path_params.at("order_id"), *version, *reason, by, permit));
        }));

    routes.emplace_back(
        M::post, "/api/v1/orders/{order_id}/returns",
        route(action::order_refund, [this](const sdk::HttpRequest& req, const Authorization& by, const Permit& permit) {
            sdk::Value body;
            if (auto bad = parse_body(req, body)) return *bad;
            BodyReader r(body);
            ReturnRequest ret;
            ret.reason_code = r.string("reason_code", Need::required, 100).value_or("");
            ret.expected_version = r.integer("expected_version", Need::optional, 1, kMaxVersion);
            if (const sdk::Value* lines = r.list("lines", Need::required, 1000)) {
                for (std::size_t i = 0; i < lines->size() && r.ok(); ++i) {
                    const std::string at = "$.lines[" + std::to_string(i) + "]";
                    const sdk::Value& item = lines->as_list()[i];
                    if (!item.is_map()) {
                        r.fail(at, std::string("expected an object, got ") + sdk::Value::type_name(item.type()));
                        break;
                    }
                    BodyReader lr(item, at);
                    ReturnLineRequest l;
                    l.line_id = lr.string("line_id", Need::required, 100).value_or("");
                    l.qty_milli = lr.integer("qty_milli", Need::required, 1, kMaxQtyMilli).value_or(0);
                    if (auto s = lr.finish(); !s.ok()) {
                        const auto& m = s.error().message;
                        auto sep = m.find(": ");
                        r.fail(m.substr(0, sep), sep == std::string::npos ? m : m.substr(sep + 2));
                        break;
                    }
                    ret.lines.push_back(l);
                }
            }
            if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
            return answer(open_return(req.path_params.at("order_id"), ret, by, permit), 201);
        }));

    for (auto& [method, path, handler] : routes)
        if (auto s = router.add(method, path, std::move(handler), "kernel"); !s.ok()) return s;
    return {};
}

}  // namespace till::domain
