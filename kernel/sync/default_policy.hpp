// The built-in conflict policies, in C++, for nodes with no Lua conflict
// rules configured. Same semantics as scripts/lib/conflict_defaults.lua
// (docs/rules.md, "Conflict policies"):
//   customer (and any other record kind): per-field last-writer-wins by HLC
//     stamp; a field stamped but absent from `fields` is a deletion at that
//     stamp; equal stamps are broken on the values' text so both sides agree;
//     members other than fields/hlc come from `local`, else `remote`.
//   stock_count: base + (local - base) + (remote - base) on qty_milli.
//   transfer: LWW, but `status` only moves forward (draft < requested <
//     approved < cancelled < sent < received < closed).
// Pure and deterministic: same inputs, same output, on every node.
#pragma once

#include <functional>

#include "domain/common/replication.hpp"

namespace till::sync {

class DefaultConflictPolicy final : public domain::ConflictPolicy {
public:
    sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                    const sdk::Value& base) override;
};

/// The node's ConflictPolicy: the deployment's Lua conflict policies when
/// rules are configured (pass the rules engine's resolve, e.g.
/// `[&rules](auto kind, auto& l, auto& r, auto& b) { return rules.resolve(kind, l, r, b); }`),
/// else (an empty function) the built-in defaults above. Errors of the Lua
/// policy are returned as they are: a failing policy must not silently fall
/// back to other semantics on one node only.
class NodeConflictPolicy final : public domain::ConflictPolicy {
public:
    using Resolve = std::function<sdk::Result<sdk::Value>(std::string_view kind, const sdk::Value& local,
                                                          const sdk::Value& remote, const sdk::Value& base)>;
    explicit NodeConflictPolicy(Resolve rules = {}) : rules_(std::move(rules)) {}
    sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                    const sdk::Value& base) override {
        if (rules_) return rules_(kind, local, remote, base);
        return defaults_.resolve(kind, local, remote, base);
    }

private:
    Resolve rules_;
    DefaultConflictPolicy defaults_;
};

/// Per-field last-writer-wins merge of two records of the shape
/// {"id", "fields": {...}, "hlc": {field: stamp}} (plus other members).
sdk::Value merge_last_writer_wins(const sdk::Value& local, const sdk::Value& remote);

}  // namespace till::sync
