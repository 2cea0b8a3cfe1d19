// The stock transfer routes (docs/domain/transfers.md, docs/api/openapi.yaml).
#include <optional>
#include <string>
#include <utility>

#include "api/router.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "domain/transfers/transfer_service.hpp"

namespace till::domain::transfers {

namespace {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Value;

constexpr std::int64_t kMaxVersion = std::int64_t{1} << 62;

sdk::Error bad_request(std::string message) {
    return sdk::Error{std::string(error_code::bad_request), std::move(message)};
}

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
    const auto refuse = [&] {
        return bad_request("query parameter " + name + ": expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max));
    };
    if (it->second.size() > 18) return refuse();
    std::int64_t value = 0;
    for (char c : it->second) {
        if (c < '0' || c > '9') return refuse();
        value = value * 10 + (c - '0');
    }
    if (value < min || value > max) return refuse();
    return value;
}

/// problem+json for `error`; a stale version also names the current one.
HttpResponse problem(const sdk::Error& error, std::int64_t current_version = 0) {
    HttpResponse r = to_problem(error);
    if (error.code != error_code::conflict || current_version <= 0) return r;
    auto body = Value::parse_json(r.body);
    if (!body || !body->is_map()) return r;
    body->set("current_version", current_version);
    r.body = body->to_json();
    return r;
}

/// One {sku, <qty_field>} item of a "lines" list, at `at`; problems go to `r`.
std::optional<std::pair<std::string, std::int64_t>> read_sku_line(BodyReader& r, const Value& item,
                                                                 const std::string& at, const char* qty_field,
                                                                 std::int64_t min_qty) {
    if (!item.is_map()) {
        r.fail(at, std::string("expected an object {sku, ") + qty_field + "}, got " + Value::type_name(item.type()));
        return std::nullopt;
    }
    BodyReader lr(item, at);
    auto sku = lr.string("sku", Need::required, limits::sku_bytes);
    auto qty = lr.integer(qty_field, Need::required, min_qty, limits::max_qty_milli);
    if (auto s = lr.finish(); !s.ok()) {
        // The item's reader says "<path>: <problem>"; keep its path.
        const std::string& m = s.error().message;
        const auto colon = m.find(": ");
        r.fail(colon == std::string::npos ? at : m.substr(0, colon),
               colon == std::string::npos ? m : m.substr(colon + 2));
        return std::nullopt;
    }
    return std::make_pair(*sku, *qty);
}

/// Reads "lines": [{sku, qty_milli}] into `out`; problems go to `r`.
void read_lines(BodyReader& r, Need need, std::optional<std::vector<TransferLine>>& out) {
    const Value* list = r.list("lines", need, limits::max_lines);
    if (!list) return;
    std::vector<TransferLine> lines;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto line = read_sku_line(r, list->as_list()[i], r.path_of("lines") + "[" + std::to_string(i) + "]",
                                  "qty_milli", 1);
        if (!line) return;
        lines.push_back(TransferLine{line->first, line->second, std::nullopt});
    }
    if (list->size() == 0) {
        r.fail(r.path_of("lines"), "must hold at least one line");
        return;
    }
    out = std::move(lines);
}

sdk::Result<NewTransfer> read_new(const Value& body) {
    BodyReader r(body);
    NewTransfer n;
    auto from = r.string("from_store", Need::required, limits::store_id_bytes);
    auto to = r.string("to_store", Need::required, limits::store_id_bytes);
    std::optional<std::vector<TransferLine>> lines;
    read_lines(r, Need::required, lines);
    auto note = r.string("note", Need::optional, limits::note_bytes);
    if (auto s = r.finish(); !s.ok()) return s.error();
    n.from_store = *from;
    n.to_store = *to;
    n.lines = std::move(*lines);
    n.note = note.value_or("");
    return n;
}

sdk::Result<TransferPatch> read_patch(const Value& body) {
    BodyReader r(body);
    TransferPatch p;
    auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
    p.note = r.string("note", Need::optional, limits::note_bytes);
    p.to_store = r.string("to_store", Need::optional, limits::store_id_bytes);
    read_lines(r, Need::optional, p.lines);
    if (auto s = r.finish(); !s.ok()) return s.error();
    p.expected_version = *version;
    return p;
}

sdk::Result<std::int64_t> read_expected_version(const Value& body) {
    BodyReader r(body);
    auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
    if (auto s = r.finish(); !s.ok()) return s.error();
    return *version;
}

struct ReceiveInput {
    std::int64_t expected_version = 0;
    std::optional<std::vector<ReceivedLine>> lines;
};

sdk::Result<ReceiveInput> read_receive(const Value& body) {
    BodyReader r(body);
    ReceiveInput in;
    auto version = r.integer("expected_version", Need::required, 1, kMaxVersion);
    if (const Value* list = r.list("lines", Need::optional, limits::max_lines)) {
        std::vector<ReceivedLine> lines;
        for (std::size_t i = 0; i < list->size() && r.ok(); ++i) {
            auto line = read_sku_line(r, list->as_list()[i], r.path_of("lines") + "[" + std::to_string(i) + "]",
                                      "received_qty_milli", 0);
            if (!line) break;
            lines.push_back(ReceivedLine{line->first, line->second});
        }
        in.lines = std::move(lines);
    }
    if (auto s = r.finish(); !s.ok()) return s.error();
    in.expected_version = *version;
    return in;
}

/// The current version of `id` for a stale-version answer (0 when unknown).
std::int64_t current_version_of(TransferService& svc, const std::string& id) {
    auto found = svc.get(id);
    return found && *found ? (*found)->version : 0;
}

}  // namespace

sdk::Status TransferService::add_routes(api::Router& router) {
    Authorizer& auth = authorizer_;
    TransferService& svc = *this;
    using M = sdk::HttpMethod;

    auto create_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        auto granted = auth.authorize(*who, action::transfer_manage, request);
        if (!granted) return problem(granted.error());
        auto body = body_object(request);
        if (!body) return problem(body.error());
        auto input = read_new(*body);
        if (!input) return problem(input.error());
        auto made = svc.create(Actor::from(*granted), *input);
        if (!made) return problem(made.error());
        HttpResponse r = HttpResponse::json(transfer_to_value(*made), 201);
        r.headers["Location"] = "/api/v1/transfers/" + made->id;
        return r;
    };

    auto list_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        ListQuery query;
        auto limit = query_int(request, "limit", 50, 1, 500);
        if (!limit) return problem(limit.error());
        auto offset = query_int(request, "offset", 0, 0, 1'000'000'000);
        if (!offset) return problem(offset.error());
        query.limit = *limit;
        query.offset = *offset;
        if (auto it = request.query.find("status"); it != request.query.end() && !it->second.empty()) {
            if (status_rank(it->second) == 0)
                return problem(bad_request("query parameter status: expected one of draft, sent, received, cancelled"));
            query.status = it->second;
        }
        if (auto it = request.query.find("store"); it != request.query.end() && !it->second.empty()) {
            if (!is_store_id(it->second))
                return problem(bad_request("query parameter store: expected a store id (1-64 characters of A-Z "
                                           "a-z 0-9 . _ -)"));
            query.store = it->second;
        } else if (!svc.is_hq()) {
            query.store = svc.node_id();  // a store sees the transfers it takes part in
        }
        auto page = svc.list(query);
        if (!page) return problem(page.error());
        Value items = Value::list();
        for (const Transfer& t : page->items) items.push_back(transfer_to_value(t));
        Value body = Value::map();
        body.set("items", std::move(items));
        body.set("total", page->total);
        body.set("offset", query.offset);
        body.set("limit", query.limit);
        return HttpResponse::json(body);
    };

    auto get_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        const std::string& id = request.path_params.at("transfer_id");
        auto found = svc.get(id);
        if (!found) return problem(found.error());
        if (!*found) return problem(sdk::Error{std::string(error_code::not_found), "no transfer with id " + id});
        return HttpResponse::json(transfer_to_value(**found));
    };

    auto patch_route = [&auth, &svc](const HttpRequest& request) -> HttpResponse {
        auto who = auth.authenticate(request);
        if (!who) return problem(who.error());
        auto granted = auth.authorize(*who, action::transfer_manage, request);
        if (!granted) return problem(granted.error());
        auto body = body_object(request);
        if (!body) return problem(body.error());
        auto patch = read_patch(*body);
        if (!patch) return problem(patch.error());
        const std::string& id = request.path_params.at("transfer_id");
        auto done = svc.update(Actor::from(*granted), id, *patch);
        if (!done) return problem(done.error(), current_version_of(svc, id));
        return HttpResponse::json(transfer_to_value(*done));
    };

    enum class Step { send, receive, cancel };
    auto step_route = [&auth, &svc](Step step) {
        return [&auth, &svc, step](const HttpRequest& request) -> HttpResponse {
            auto who = auth.authenticate(request);
            if (!who) return problem(who.error());
            auto granted = auth.authorize(*who, step == Step::cancel ? action::transfer_manage : action::transfer_move,
                                          request);
            if (!granted) return problem(granted.error());
            auto body = body_object(request);
            if (!body) return problem(body.error());
            const std::string& id = request.path_params.at("transfer_id");
            sdk::Result<Transfer> done = sdk::Error{};
            if (step == Step::receive) {
                auto input = read_receive(*body);
                if (!input) return problem(input.error());
                done = svc.receive(Actor::from(*granted), id, input->expected_version, input->lines);
            } else {
                auto version = read_expected_version(*body);
                if (!version) return problem(version.error());
                done = step == Step::send ? svc.send(Actor::from(*granted), id, *version)
                                          : svc.cancel(Actor::from(*granted), id, *version);
            }
            if (!done) return problem(done.error(), current_version_of(svc, id));
            return HttpResponse::json(transfer_to_value(*done));
        };
    };

    const struct {
        M method;
        const char* path;
        sdk::RouteHandler handler;
    } routes[] = {
        {M::post, "/api/v1/transfers", create_route},
        {M::get, "/api/v1/transfers", list_route},
        {M::get, "/api/v1/transfers/{transfer_id}", get_route},
        {M::patch, "/api/v1/transfers/{transfer_id}", patch_route},
        {M::post, "/api/v1/transfers/{transfer_id}/send", step_route(Step::send)},
        {M::post, "/api/v1/transfers/{transfer_id}/receive", step_route(Step::receive)},
        {M::post, "/api/v1/transfers/{transfer_id}/cancel", step_route(Step::cancel)},
    };
    for (const auto& route : routes)
        if (auto s = router.add(route.method, route.path, route.handler, "kernel"); !s.ok()) return s;
    return sdk::Status::success();
}

}  // namespace till::domain::transfers
