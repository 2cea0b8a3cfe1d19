// sync_http: the JSON bodies of wire format version 1 (docs/sync.md) —
// the pushed batch, HQ's push and pull answers and its problem documents.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <till/sdk/status.hpp>
#include <till/sdk/sync_transport.hpp>

namespace till::sync_http {

constexpr std::int64_t kWireSchema = 1;

/// {"schema": 1, "batch_id", "node_id", "events": [...]} as compact JSON.
std::string batch_json(const sdk::SyncBatch& batch);

struct PushAnswer {
    std::vector<std::string> acknowledged_event_ids;
    std::int64_t acknowledged_sequence = 0;
};
/// Errors "invalid_data" with the JSON path of what is wrong.
sdk::Result<PushAnswer> parse_push_answer(std::string_view body);

struct PullAnswer {
    std::int64_t revision = 0;
    bool more = false;
    std::vector<sdk::Value> changes;
};
sdk::Result<PullAnswer> parse_pull_answer(std::string_view body);

/// The `detail` (else `title`) of an application/problem+json body, or the
/// first 200 bytes of any other body.
std::string problem_text(std::string_view body);

/// {"type": "revision", "revision": N}: N, or an error for anything else.
sdk::Result<std::int64_t> parse_revision_notice(std::string_view text);

}  // namespace till::sync_http
