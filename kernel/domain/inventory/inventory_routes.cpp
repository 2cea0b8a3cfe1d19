// The inventory routes: authenticate, authorize the step, read the body
// strictly, work, answer JSON (client mistakes as 4xx problem+json).
#include <charconv>
#include <cstdint>

#include "api/json_body.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/inventory/inventory_json.hpp"
#include "domain/inventory/inventory_service.hpp"

namespace till::domain {
namespace {

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

sdk::Result<std::int64_t> limit_of(const sdk::HttpRequest& request) {
    auto it = request.query.find("limit");
    if (it == request.query.end()) return kDefaultLimit;
    std::int64_t n = 0;
    const auto& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > kMaxLimit)
        return sdk::Error{std::string(error_code::invalid_argument),
                          "query parameter limit: expected an integer from 1 to " + std::to_string(kMaxLimit) +
                              ", got \"" + text + "\""};
    return n;
}

std::string query_or(const sdk::HttpRequest& request, const std::string& key) {
    auto it = request.query.find(key);
    return it == request.query.end() ? std::string() : it->second;
}

sdk::Value next_or_null(const std::string& cursor) { return cursor.empty() ? sdk::Value() : sdk::Value(cursor); }

/// A movement id as the node makes them (UUID text: 8-4-4-4-12 hex digits).
bool is_movement_id(const std::string& text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

/// A cursor from a previous page's "next", or the problem naming it.
sdk::Result<std::string> cursor_of(const sdk::HttpRequest& request, const std::string& key, bool movement_id) {
    const std::string text = query_or(request, key);
    if (text.empty()) return text;
    const bool ok = movement_id ? is_movement_id(text) : text.size() <= 100;
    if (!ok)
        return sdk::Error{std::string(error_code::invalid_argument),
                          "query parameter " + key + ": not a cursor from a previous page's \"next\""};
    return text;
}

}  // namespace

sdk::Status InventoryService::add_routes(api::Router& router) {
    using sdk::HttpMethod;
    struct Route {
        HttpMethod method;
        const char* path;
        sdk::HttpResponse (InventoryService::*handler)(const sdk::HttpRequest&);
    };
    const Route routes[] = {
        {HttpMethod::get, "/api/v1/inventory/low-stock", &InventoryService::get_low_stock},
        {HttpMethod::post, "/api/v1/inventory/adjustments", &InventoryService::post_adjustment},
        {HttpMethod::get, "/api/v1/inventory/{sku}", &InventoryService::get_level},
        {HttpMethod::get, "/api/v1/inventory/{sku}/movements", &InventoryService::get_movements},
        {HttpMethod::put, "/api/v1/inventory/{sku}/threshold", &InventoryService::put_threshold},
    };
    for (const auto& r : routes) {
        auto handler = r.handler;
        auto s = router.add(r.method, r.path, [this, handler](const sdk::HttpRequest& req) { return (this->*handler)(req); },
                            "kernel");
        if (!s.ok()) return s;
    }
    return {};
}

sdk::HttpResponse InventoryService::get_level(const sdk::HttpRequest& request) {
    auto who = authorizer_.authenticate(request);
    if (!who) return to_problem(who.error());
    auto found = level(request.path_params.at("sku"));
    if (!found) return to_problem(found.error());
    return sdk::HttpResponse::json(level_json(*found));
}

sdk::HttpResponse InventoryService::get_movements(const sdk::HttpRequest& request) {
    auto who = authorizer_.authenticate(request);
    if (!who) return to_problem(who.error());
    auto limit = limit_of(request);
    if (!limit) return to_problem(limit.error());
    auto before = cursor_of(request, "before", true);
    if (!before) return to_problem(before.error());
    auto page = movements(request.path_params.at("sku"), *before, *limit);
    if (!page) return to_problem(page.error());
    sdk::Value items = sdk::Value::list();
    for (const auto& m : page->items) items.push_back(movement_json(m));
    sdk::Value body = sdk::Value::map();
    body.set("items", items);
    body.set("next", next_or_null(page->next_before));
    return sdk::HttpResponse::json(body);
}

sdk::HttpResponse InventoryService::post_adjustment(const sdk::HttpRequest& request) {
    auto who = authorizer_.authenticate(request);
    if (!who) return to_problem(who.error());
    auto allowed = authorizer_.authorize(*who, action::inventory_adjust, request);
    if (!allowed) return to_problem(allowed.error());
    auto body = api::parse_json_object_body(request);
    if (!body.ok()) return body.problem;
    BodyReader r(*body.value);
    StockAdjustment a;
    a.sku = r.string("sku", Need::required, 100).value_or("");
    a.qty_delta_milli = r.integer("qty_delta_milli", Need::required, INT64_MIN, INT64_MAX).value_or(0);
    a.reason_code = r.string("reason_code", Need::required, 100).value_or("");
    a.note = r.string("note", Need::optional, 500).value_or("");
    if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
    auto done = adjust(a, *allowed);
    if (!done) return to_problem(done.error());
    sdk::Value out = sdk::Value::map();
    out.set("movement", movement_json(done->movement));
    out.set("level", level_json(done->level));
    return sdk::HttpResponse::json(out, 201);
}

sdk::HttpResponse InventoryService::put_threshold(const sdk::HttpRequest& request) {
    auto who = authorizer_.authenticate(request);
    if (!who) return to_problem(who.error());
    auto allowed = authorizer_.authorize(*who, action::inventory_adjust, request);
    if (!allowed) return to_problem(allowed.error());
    auto body = api::parse_json_object_body(request);
    if (!body.ok()) return body.problem;
    BodyReader r(*body.value);
    auto threshold = r.integer("low_stock_threshold_milli", Need::required, -1, 1'000'000'000'000'000);
    if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
    auto set = set_threshold(request.path_params.at("sku"), *threshold, *allowed);
    if (!set) return to_problem(set.error());
    return sdk::HttpResponse::json(level_json(*set));
}

sdk::HttpResponse InventoryService::get_low_stock(const sdk::HttpRequest& request) {
    auto who = authorizer_.authenticate(request);
    if (!who) return to_problem(who.error());
    auto limit = limit_of(request);
    if (!limit) return to_problem(limit.error());
    auto after = cursor_of(request, "after", false);
    if (!after) return to_problem(after.error());
    auto rows = low_stock(*after, *limit + 1);
    if (!rows) return to_problem(rows.error());
    std::string next;
    if (static_cast<std::int64_t>(rows->size()) > *limit) {
        rows->resize(static_cast<std::size_t>(*limit));
        next = rows->back().sku;
    }
    sdk::Value items = sdk::Value::list();
    for (const auto& l : *rows) items.push_back(level_json(l));
    sdk::Value body = sdk::Value::map();
    body.set("items", items);
    body.set("next", next_or_null(next));
    return sdk::HttpResponse::json(body);
}

}  // namespace till::domain
