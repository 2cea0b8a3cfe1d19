// The audit log's hash chain: how an entry is serialised and hashed, and the
// walk that checks a stored chain. No state; used by AuditTrail (append,
// GET /api/v1/audit/verify) and by `tillctl audit verify`.
//
// Entry n's hash is SHA-256 (lower-case hex) over a canonical serialisation
// of all its fields and the previous entry's hash (entry 1 chains to
// kGenesisHash). Fields are length-prefixed, so no choice of text in one
// field can imitate another field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::audit {

/// prev_hash of entry 1.
inline constexpr const char* kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row of the audit_log table. `details_json` is the JSON text stored
/// (and hashed) as written.
struct StoredEntry {
    std::int64_t seq = 0;
    std::int64_t time_utc_ms = 0;
    std::string actor_user_id;
    std::string action;
    std::string subject;
    std::string reason;
    std::string authorized_by;
    std::string terminal_id;
    std::string details_json;
    std::string prev_hash;
    std::string hash;
};

/// "till.audit.v1\n" then each field as "<byte length>:<bytes>\n" in the
/// order seq, time_utc_ms, actor, action, subject, reason, authorized_by,
/// terminal, details, prev_hash (integers in decimal).
std::string canonical_text(const StoredEntry& entry);
/// SHA-256 hex of canonical_text(entry) (entry.hash is ignored).
std::string compute_hash(const StoredEntry& entry);

/// The outcome of a walk over the chain.
struct ChainReport {
    bool ok = true;
    std::int64_t count = 0;       ///< entries checked (the head's seq when ok)
    std::int64_t broken_seq = 0;  ///< first broken entry; 0 when ok (or when only the head row is bad)
    std::string problem;          ///< what is wrong with it, for a person
};

/// Reads the chain head, then every entry up to it in seq order, and
/// reports the first problem: a missing entry (deleted row or gap), a wrong
/// genesis, a prev_hash that does not match the entry before (reordered or
/// replaced), a hash that does not match the content (edited field), or a
/// head that does not match the last entry (tail cut off). Entries appended
/// after the head was read are not checked. Only reads. Fails (error value)
/// when storage fails or has no audit tables.
sdk::Result<ChainReport> verify_chain(sdk::SqlExecutor& storage);

/// Entries with seq > after_seq in order, at most `limit`.
sdk::Result<std::vector<StoredEntry>> read_entries(sdk::SqlExecutor& storage, std::int64_t after_seq,
                                                   std::int64_t limit);

}  // namespace till::domain::audit
