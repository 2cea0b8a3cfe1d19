#include "domain/audit/audit_chain.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace till::domain::audit {

namespace {

void field(std::string& out, const std::string& value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += '\n';
}

constexpr const char* kColumns =
    "seq, time_utc_ms, actor_user_id, action, subject, reason, authorized_by, terminal_id, details, "
    "prev_hash, hash";

StoredEntry entry_from_row(const std::vector<sdk::Value>& row) {
    StoredEntry e;
    e.seq = row.at(0).as_int();
    e.time_utc_ms = row.at(1).as_int();
    e.actor_user_id = row.at(2).as_string();
    e.action = row.at(3).as_string();
    e.subject = row.at(4).as_string();
    e.reason = row.at(5).as_string();
    e.authorized_by = row.at(6).as_string();
    e.terminal_id = row.at(7).as_string();
    e.details_json = row.at(8).as_string();
    e.prev_hash = row.at(9).as_string();
    e.hash = row.at(10).as_string();
    return e;
}

ChainReport broken(std::int64_t checked, std::int64_t seq, std::string problem) {
    ChainReport r;
    r.ok = false;
    r.count = checked;
    r.broken_seq = seq;
    r.problem = std::move(problem);
    return r;
}

constexpr std::int64_t kBatch = 1000;

}  // namespace

std::string canonical_text(const StoredEntry& e) {
    std::string out = "till.audit.v1\n";
    out.reserve(256 + e.details_json.size());
    field(out, std::to_string(e.seq));
    field(out, std::to_string(e.time_utc_ms));
    field(out, e.actor_user_id);
    field(out, e.action);
    field(out, e.subject);
    field(out, e.reason);
    field(out, e.authorized_by);
    field(out, e.terminal_id);
    field(out, e.details_json);
    field(out, e.prev_hash);
    return out;
}

std::string compute_hash(const StoredEntry& entry) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(canonical_text(entry));
    return Poco::DigestEngine::digestToHex(sha.digest());
}

sdk::Result<std::vector<StoredEntry>> read_entries(sdk::SqlExecutor& storage, std::int64_t after_seq,
                                                   std::int64_t limit) {
    auto rows = storage.query(std::string("SELECT ") + kColumns +
                                  " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                              {sdk::Value(after_seq), sdk::Value(limit)});
    if (!rows) return rows.error();
    std::vector<StoredEntry> out;
    out.reserve(rows->rows.size());
    for (const auto& row : rows->rows) out.push_back(entry_from_row(row));
    return out;
}

sdk::Result<ChainReport> verify_chain(sdk::SqlExecutor& storage) {
    auto head = storage.query("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head) return head.error();
    if (head->rows.empty()) return broken(0, 0, "the chain head (audit_head) is missing");
    const std::int64_t head_seq = head->rows[0].at(0).as_int();
    const std::string head_hash = head->rows[0].at(1).as_string();

    std::int64_t expected_seq = 1;
    std::string prev_hash = kGenesisHash;
    while (expected_seq <= head_seq) {
        auto rows = storage.query(std::string("SELECT ") + kColumns +
                                      " FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?",
                                  {sdk::Value(expected_seq), sdk::Value(head_seq), sdk::Value(kBatch)});
        if (!rows) return rows.error();
        if (rows->rows.empty()) break;
        for (const auto& row : rows->rows) {
            StoredEntry e = entry_from_row(row);
            const std::int64_t checked = expected_seq - 1;
            if (e.seq != expected_seq)
                return broken(checked, expected_seq,
                              "entry " + std::to_string(expected_seq) + " is missing (the next stored entry is " +
                                  std::to_string(e.seq) + ")");
            if (e.prev_hash != prev_hash)
                return broken(checked, e.seq,
                              e.seq == 1 ? "entry 1 does not start from the genesis hash"
                                         : "entry " + std::to_string(e.seq) +
                                               " does not chain to entry " + std::to_string(e.seq - 1) +
                                               " (prev_hash differs: entry replaced, reordered or removed)");
            if (compute_hash(e) != e.hash)
                return broken(checked, e.seq,
                              "entry " + std::to_string(e.seq) +
                                  " does not match its hash (a field was changed after it was written)");
            prev_hash = e.hash;
            ++expected_seq;
        }
    }
    const std::int64_t checked = expected_seq - 1;
    if (checked < head_seq)
        return broken(checked, expected_seq,
                      "entry " + std::to_string(expected_seq) + " is missing (the chain head says " +
                          std::to_string(head_seq) + " entries)");
    if (prev_hash != head_hash)
        return broken(checked, head_seq,
                      "the chain head's hash does not match entry " + std::to_string(head_seq));
    ChainReport ok;
    ok.count = checked;
    return ok;
}

}  // namespace till::domain::audit
