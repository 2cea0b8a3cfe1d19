#include "sync_endpoints.hpp"

#include <charconv>
#include <exception>

#include "gzip_codec.hpp"
#include "wire.hpp"

namespace till::hq_sync {
namespace {

std::string header(const sdk::HttpRequest& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
}

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

sdk::HttpResponse unauthorised(const std::string& detail) {
    auto r = sdk::HttpResponse::problem(401, "unauthorised", detail);
    r.headers["WWW-Authenticate"] = "Bearer realm=\"till-sync\"";
    return r;
}

/// Reads query parameter `name` as an integer in [min, max]; `fallback` when absent.
bool int_param(const sdk::HttpRequest& r, const std::string& name, std::int64_t min, std::int64_t max,
               std::int64_t fallback, std::int64_t& out, std::string& error) {
    auto it = r.query.find(name);
    if (it == r.query.end() || it->second.empty()) {
        out = fallback;
        return true;
    }
    const std::string& text = it->second;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
        error = name + ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                ", got \"" + text + "\"";
        return false;
    }
    out = v;
    return true;
}

/// The kernel hub's rejection messages start with the JSON path (see
/// kernel/sync/hq/hq_hub.hpp): "node_id: ..." / "events[i].node_id: ..."
/// is a batch that is not the store's (403), "events: N events in one
/// batch, more than ..." is over the event limit (413), the rest 422.
sdk::HttpResponse rejection(const std::string& message) {
    const auto colon = message.find(": ");
    std::string path = colon == std::string::npos ? std::string() : message.substr(0, colon);
    if (path.find(' ') != std::string::npos) path.clear();  // not a path: a sentence
    const bool node_path = path == "node_id" ||
                           (path.rfind("events[", 0) == 0 && path.size() > 8 &&
                            path.compare(path.size() - 8, 8, ".node_id") == 0 &&
                            path.find('.') == path.size() - 8);
    if (node_path) return sdk::HttpResponse::problem(403, "wrong store", message, "$." + path);
    if (path == "events" && message.find("events in one batch") != std::string::npos)
        return sdk::HttpResponse::problem(413, "batch too large", message, "$.events");
    return sdk::HttpResponse::problem(422, "invalid batch", message, path.empty() ? std::string() : "$." + path);
}

bool accepts_gzip(const sdk::HttpRequest& r) {
    return lower(header(r, "accept-encoding")).find("gzip") != std::string::npos;
}

}  // namespace

Caller SyncEndpoints::authenticate(const sdk::HttpRequest& request, bool allow_query_token) {
    Caller caller;
    std::string token;
    const std::string auth = trim(header(request, "authorization"));
    if (!auth.empty()) {
        if (auth.size() < 7 || lower(auth.substr(0, 7)) != "bearer ") {
            stats_.unauthorised.fetch_add(1);
            caller.refusal = unauthorised("the Authorization header must be \"Bearer <store sync token>\"");
            return caller;
        }
        token = trim(auth.substr(7));
    } else if (allow_query_token) {
        if (auto it = request.query.find("token"); it != request.query.end()) token = it->second;
    }
    if (token.empty()) {
        stats_.unauthorised.fetch_add(1);
        caller.refusal = unauthorised(
            "no store sync token: send \"Authorization: Bearer <token>\" (issued by `tillctl hq token issue STORE`)");
        return caller;
    }
    auto store = hub_.authenticate_store(token);
    if (!store) {
        if (store.error().code == "unauthorized" || store.error().code == "unauthorised") {
            stats_.unauthorised.fetch_add(1);
            caller.refusal = unauthorised("the sync token is unknown or revoked");
        } else {
            caller.refusal = sdk::HttpResponse::problem(503, "HQ cannot check tokens now", store.error().message);
            caller.refusal.headers["Retry-After"] = "5";
        }
        return caller;
    }
    caller.ok = true;
    caller.store_id = std::move(store.value());
    caller.token = std::move(token);
    return caller;
}

sdk::HttpResponse SyncEndpoints::refuse_push(sdk::HttpResponse response) {
    stats_.batches_refused.fetch_add(1);
    return response;
}

sdk::HttpResponse SyncEndpoints::body_too_large() const {
    return sdk::HttpResponse::problem(413, "batch too large",
                                      "the body is larger than max_body_bytes (" +
                                          std::to_string(settings_.max_body_bytes) +
                                          " bytes); send smaller batches (sync.batch_max_events)");
}

sdk::HttpResponse SyncEndpoints::push(const std::string& store_id, const sdk::HttpRequest& request) {
    if (static_cast<std::int64_t>(request.body.size()) > settings_.max_body_bytes)
        return refuse_push(body_too_large());
    const std::string encoding = lower(trim(header(request, "content-encoding")));
    std::string inflated;
    const std::string* text = &request.body;
    if (encoding == "gzip" || encoding == "x-gzip") {
        auto g = gunzip(request.body, static_cast<std::size_t>(settings_.max_body_bytes));
        if (g.status == GunzipStatus::too_large)
            return refuse_push(sdk::HttpResponse::problem(413, "batch too large", g.message));
        if (g.status != GunzipStatus::ok)
            return refuse_push(sdk::HttpResponse::problem(400, "corrupt body", g.message));
        inflated = std::move(g.data);
        text = &inflated;
    } else if (!encoding.empty() && encoding != "identity") {
        return refuse_push(sdk::HttpResponse::problem(
            415, "unsupported content encoding",
            "Content-Encoding \"" + encoding + "\" is not supported; send gzip or identity"));
    }
    if (text->empty())
        return refuse_push(sdk::HttpResponse::problem(400, "corrupt body", "the body is empty; expected a batch"));
    auto doc = sdk::Value::parse_json(*text);
    if (!doc)
        return refuse_push(sdk::HttpResponse::problem(400, "corrupt body",
                                                      "the body is not valid JSON: " + doc.error().message));
    WireError where;
    auto batch = batch_from_json(*doc, where);
    if (!batch)
        return refuse_push(sdk::HttpResponse::problem(422, "invalid batch", where.detail, where.json_path));
    if (batch->node_id != store_id)
        return refuse_push(sdk::HttpResponse::problem(
            403, "wrong store", "node_id \"" + batch->node_id + "\" is not the store this token belongs to (\"" +
                                    store_id + "\")", "$.node_id"));
    if (static_cast<std::int64_t>(batch->events.size()) > settings_.max_batch_events)
        return refuse_push(sdk::HttpResponse::problem(
            413, "batch too large",
            "the batch has " + std::to_string(batch->events.size()) + " events; at most " +
                std::to_string(settings_.max_batch_events) + " are accepted at once",
            "$.events"));

    const sdk::HubApplyResult result = hub_.apply_batch(store_id, *batch);
    switch (result.status) {
        case sdk::TransportStatus::ok:
            stats_.batches_accepted.fetch_add(1);
            stats_.events_applied.fetch_add(result.applied_events);
            stats_.events_duplicate.fetch_add(result.duplicate_events);
            return sdk::HttpResponse::json(push_answer(result));
        case sdk::TransportStatus::rejected:
            return refuse_push(rejection(result.message));
        case sdk::TransportStatus::unauthorised:
            stats_.unauthorised.fetch_add(1);
            return refuse_push(unauthorised(result.message.empty() ? "the store is not authorised" : result.message));
        case sdk::TransportStatus::offline:
        case sdk::TransportStatus::failed:
            break;
    }
    auto r = sdk::HttpResponse::problem(503, "HQ cannot apply the batch now",
                                        result.message.empty() ? "storage unavailable; retry later" : result.message);
    r.headers["Retry-After"] = "5";
    return refuse_push(std::move(r));
}

sdk::HttpResponse SyncEndpoints::pull(const std::string& store_id, const sdk::HttpRequest& request) {
    std::int64_t since = 0;
    std::int64_t limit = 0;
    std::string error;
    if (!int_param(request, "since", 0, INT64_MAX, 0, since, error) ||
        !int_param(request, "limit", 1, 1000000, 1000, limit, error))
        return sdk::HttpResponse::problem(400, "bad query parameter", error);
    sdk::PullResult page = hub_.changes_since(store_id, since, limit);
    if (page.status == sdk::TransportStatus::unauthorised)
        return unauthorised(page.message.empty() ? "the store is not authorised" : page.message);
    if (page.status == sdk::TransportStatus::rejected)
        return sdk::HttpResponse::problem(400, "bad pull", page.message);
    if (page.status != sdk::TransportStatus::ok) {
        auto r = sdk::HttpResponse::problem(503, "HQ cannot read changes now", page.message);
        r.headers["Retry-After"] = "5";
        return r;
    }
    auto acked = hub_.acknowledged_sequence(store_id);
    if (!acked) {
        auto r = sdk::HttpResponse::problem(503, "HQ cannot read changes now", acked.error().message);
        r.headers["Retry-After"] = "5";
        return r;
    }
    stats_.pulls.fetch_add(1);
    auto response = sdk::HttpResponse::json(pull_answer(page, *acked));
    if (accepts_gzip(request)) {
        response.body = gzip(response.body);
        response.headers["Content-Encoding"] = "gzip";
    }
    response.headers["Vary"] = "Accept-Encoding";
    return response;
}

}  // namespace till::hq_sync
