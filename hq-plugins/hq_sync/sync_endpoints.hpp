// The request logic of /sync/v1/batches and /sync/v1/changes, free of any
// socket code: requests and answers are sdk::HttpRequest / HttpResponse, the
// work is done by the kernel's SyncHub. sync_server.cpp feeds them from Poco.
//
// Status codes (wire format v1, docs/sync.md): 400 corrupt or truncated body
// (bad gzip, bad JSON) or a bad query parameter, 401 token missing, unknown or
// revoked, 403 node_id is not the token's store, 413 body or event count over
// the limit, 415 a Content-Encoding other than gzip/identity, 422 wrong schema
// or invalid event (detail names the JSON path), 503 HQ cannot apply now.
// Nothing is applied on any 4xx. Errors are application/problem+json.
//
// Threading: every method may run on several worker threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "settings.hpp"
#include "till/sdk/http.hpp"
#include "till/sdk/sync_hub.hpp"

namespace till::hq_sync {

/// Counts for the status route (no store secrets).
struct EndpointStats {
    std::atomic<std::int64_t> batches_accepted{0};
    std::atomic<std::int64_t> batches_refused{0};  ///< any 4xx or 5xx answer to a push
    std::atomic<std::int64_t> events_applied{0};
    std::atomic<std::int64_t> events_duplicate{0};
    std::atomic<std::int64_t> pulls{0};
    std::atomic<std::int64_t> unauthorised{0};
};

/// The store an authenticated request comes from, or the answer to send.
struct Caller {
    bool ok = false;
    std::string store_id;
    std::string token;          ///< the bearer token that authenticated (when ok)
    sdk::HttpResponse refusal;  ///< 401 / 503 when !ok
};

class SyncEndpoints {
public:
    SyncEndpoints(sdk::SyncHub& hub, const Settings& settings) : hub_(hub), settings_(settings) {}

    /// Checks "Authorization: Bearer <token>" (and, when `allow_query_token`,
    /// the query parameter `token`) with SyncHub::authenticate_store.
    Caller authenticate(const sdk::HttpRequest& request, bool allow_query_token);

    /// POST /sync/v1/batches for an authenticated store. `request.body` is the
    /// raw body as received (already cut at settings.max_body_bytes by the caller).
    sdk::HttpResponse push(const std::string& store_id, const sdk::HttpRequest& request);

    /// GET /sync/v1/changes?since=REV&limit=N for an authenticated store;
    /// gzip-compressed when the request accepts gzip.
    sdk::HttpResponse pull(const std::string& store_id, const sdk::HttpRequest& request);

    /// 413 for a body over settings.max_body_bytes (as sent).
    sdk::HttpResponse body_too_large() const;

    EndpointStats& stats() noexcept { return stats_; }

private:
    sdk::HttpResponse refuse_push(sdk::HttpResponse response);

    sdk::SyncHub& hub_;
    const Settings& settings_;
    EndpointStats stats_;
};

}  // namespace till::hq_sync
