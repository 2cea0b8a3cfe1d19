// The kernel interface the sync engine calls when a record changed on both
// sides since their common base.
//
// Record shapes (docs/rules.md, "Conflict policies"):
//   customer, transfer:  {"id": "...", "fields": {name: value, ...},
//                         "hlc": {name: "<wall_ms:15>-<counter:5>-<node_id>", ...}}
//       each field carries the hybrid-logical-clock stamp of its last write;
//       stamps compare as strings. A field absent from `fields` but stamped
//       in `hlc` was deleted at that stamp.
//   stock_count:         {"sku": "...", "location": "...", "qty_milli": N, ...}
// `base` is the last version both sides agreed on (null when the record was
// created on both sides independently).
#pragma once

#include <string_view>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::script {

class ConflictResolver {
public:
    virtual ~ConflictResolver();
    /// Returns the merged record, or an error (no policy for the kind, the
    /// policy failed or returned something that is not a record). Same
    /// inputs give the same output on every node. Thread-safe.
    virtual sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                            const sdk::Value& base) = 0;
};

/// Formats an HLC stamp in the record shape above.
std::string format_hlc(std::int64_t wall_ms, int counter, std::string_view node_id);

}  // namespace till::script
