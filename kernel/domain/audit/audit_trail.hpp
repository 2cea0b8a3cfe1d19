// AuditTrail: the node's audit log (domain/common/audit.hpp's AuditLog) in
// the tables audit_log (one row per entry, seq 1, 2, 3, ... without gaps) and
// audit_head (one row: the last seq and hash), migration module
// "domain.audit".
//
// Concurrency: append() runs inside the caller's transaction. On SQLite the
// write transaction (BEGIN IMMEDIATE) already serialises appends; on
// PostgreSQL append() locks the head row (SELECT ... FOR UPDATE) so two
// transactions never chain to the same entry. A rolled-back transaction
// takes its entry with it, so seq stays gapless.
//
// Routes (add_routes): GET /api/v1/audit?after_seq=&limit= and
// GET /api/v1/audit/verify, both needing action "audit.read".
#pragma once

#include <cstdint>
#include <vector>

#include "domain/audit/audit_chain.hpp"
#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"

namespace till::api {
class Router;
}

namespace till::domain::audit {

/// The "domain.audit" schema (SQLite and PostgreSQL).
const std::vector<sdk::Migration>& audit_migrations();

class AuditTrail final : public AuditLog {
public:
    /// Uses ctx.storage, ctx.clock; `ctx` must outlive the trail.
    explicit AuditTrail(DomainContext& ctx);

    /// Applies the "domain.audit" migrations. Call before append().
    sdk::Status start();

    /// See AuditLog::append. Thread-safe (each call uses the caller's tx).
    sdk::Status append(sdk::SqlExecutor& tx, const AuditEntry& entry) override;

    /// Entries after `after_seq`, at most `limit` (1..500).
    sdk::Result<std::vector<StoredEntry>> list(std::int64_t after_seq, std::int64_t limit);
    /// verify_chain over the node's storage.
    sdk::Result<ChainReport> verify();

    /// Adds GET /api/v1/audit and GET /api/v1/audit/verify (owner "kernel").
    /// `authorizer` must outlive the router's use of the routes.
    sdk::Status add_routes(api::Router& router, Authorizer& authorizer);

private:
    DomainContext& ctx_;
};

/// An entry as the API shows it (details parsed back into a Value).
sdk::Value entry_to_value(const StoredEntry& entry);

}  // namespace till::domain::audit
