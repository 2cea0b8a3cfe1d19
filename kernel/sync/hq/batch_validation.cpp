#include "sync/hq/batch_validation.hpp"

#include <map>
#include <optional>
#include <string_view>

#include "domain/common/ids.hpp"
#include "domain/common/replication.hpp"

namespace till::sync::hq {

namespace {

namespace ct = domain::change_type;

struct Checker {
    std::string prefix;  ///< "events[3]"
    std::string error;   ///< first problem, "" while none

    bool fail(const std::string& path, const std::string& what) {
        if (error.empty()) error = prefix + path + ": " + what;
        return false;
    }
    bool string_field(const sdk::Value& obj, const std::string& parent, const char* key, bool non_empty = true) {
        const sdk::Value* v = obj.find(key);
        if (!v || !v->is_string()) return fail(parent + "." + key, "expected a string");
        if (non_empty && v->as_string().empty()) return fail(parent + "." + key, "must not be empty");
        return true;
    }
    bool int_field(const sdk::Value& obj, const std::string& parent, const char* key) {
        const sdk::Value* v = obj.find(key);
        if (!v || !v->is_int()) return fail(parent + "." + key, "expected an integer");
        return true;
    }
};

bool all_digits(const std::string& s, std::size_t from, std::size_t count) {
    if (s.size() < from + count) return false;
    for (std::size_t i = from; i < from + count; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/// UTF-8 without NUL: what PostgreSQL's TEXT columns accept. A batch with
/// other bytes is the store's mistake (422), not a storage failure (503).
bool is_clean_text(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0) return false;
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (extra >= s.size() - i) return false;  // truncated sequence
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const bool overlong_or_surrogate = extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF));
        if (overlong_or_surrogate || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        i += extra + 1;
    }
    return true;
}

bool all_clean(const sdk::Value& v) noexcept {
    if (v.is_string()) return is_clean_text(v.as_string());
    if (v.is_list()) {
        for (const auto& item : v.as_list())
            if (!all_clean(item)) return false;
    } else if (v.is_map()) {
        for (const auto& [key, item] : v.as_map())
            if (!is_clean_text(key) || !all_clean(item)) return false;
    }
    return true;
}

/// The path of the first string (or member name) in `v` that is not clean text.
std::optional<std::string> unclean_text(const sdk::Value& v, const std::string& path) {
    if (all_clean(v)) return std::nullopt;  // the common case builds no paths
    if (v.is_string()) {
        if (!is_clean_text(v.as_string())) return path + ": expected UTF-8 text";
        return std::nullopt;
    }
    if (v.is_list()) {
        const auto& items = v.as_list();
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto bad = unclean_text(items[i], path + "[" + std::to_string(i) + "]")) return bad;
        return std::nullopt;
    }
    if (v.is_map()) {
        for (const auto& [key, item] : v.as_map()) {
            if (!is_clean_text(key)) return path + ": expected UTF-8 text in member names";
            if (auto bad = unclean_text(item, path + "." + key)) return bad;
        }
    }
    return std::nullopt;
}

/// The fields HQ's projections read, per kind.
bool check_payload(Checker& c, const std::string& type, const sdk::Value& p) {
    const std::string at = ".payload";
    if (type == ct::sale || type == ct::refund || type == ct::order_void) {
        if (!c.string_field(p, at, "order_id")) return false;
        if (const sdk::Value* total = order_amount(p, "total_minor"); !total || !total->is_int())
            return c.fail(at + ".totals.total_minor", "expected an integer");
        for (const char* f : {"tax_minor", "discount_minor"})
            if (const sdk::Value* v = order_amount(p, f); v && !v->is_int() && !v->is_null())
                return c.fail(at + ".totals." + f, "expected an integer");
        if (const sdk::Value* cur = p.find("currency"); cur && !cur->is_string())
            return c.fail(at + ".currency", "expected a string");
        return true;
    }
    if (type == ct::register_session)
        return c.string_field(p, at, "session_id") && c.string_field(p, at, "register_id") &&
               c.string_field(p, at, "state");
    if (type == ct::cash_movement)
        return c.string_field(p, at, "movement_id") && c.string_field(p, at, "direction") &&
               c.int_field(p, at, "amount_minor");
    if (type == ct::z_report)
        return c.string_field(p, at, "register_id") && c.int_field(p, at, "z_number") &&
               c.string_field(p, at, "session_id");
    if (type == ct::stock_movement)
        return c.string_field(p, at, "movement_id") && c.string_field(p, at, "sku") &&
               c.int_field(p, at, "qty_delta_milli");
    if (type == ct::customer || type == ct::transfer) return c.string_field(p, at, "id");
    return true;
}

}  // namespace

bool is_upstream_type(const std::string& t) noexcept {
    return t == ct::sale || t == ct::refund || t == ct::order_void || t == ct::register_session ||
           t == ct::cash_movement || t == ct::z_report || t == ct::stock_movement || t == ct::customer ||
           t == ct::transfer;
}

bool is_master_type(const std::string& t) noexcept {
    return t == ct::department || t == ct::tax_class || t == ct::modifier_group || t == ct::product || t == ct::user ||
           t == ct::role;
}

bool is_valid_hlc(const std::string& hlc, const std::string& node_id) noexcept {
    // <wall_ms:15>-<counter:5>-<node_id>
    if (hlc.size() != 22 + node_id.size()) return false;
    return all_digits(hlc, 0, 15) && hlc[15] == '-' && all_digits(hlc, 16, 5) && hlc[21] == '-' &&
           hlc.compare(22, std::string::npos, node_id) == 0;
}

const sdk::Value* order_amount(const sdk::Value& payload, const char* field) noexcept {
    if (const sdk::Value* totals = payload.find("totals"); totals && totals->is_map())
        if (const sdk::Value* v = totals->find(field)) return v;
    return payload.find(field);
}

ValidationOutcome validate_batch(const std::string& store_id, const sdk::SyncBatch& batch, std::int64_t max_events) {
    ValidationOutcome out;
    auto reject = [&](BatchProblem problem, std::string message) {
        out.ok = false;
        out.rejection = {problem, std::move(message)};
        out.batch.events.clear();
        return out;
    };
    if (batch.node_id != store_id)
        return reject(BatchProblem::wrong_store,
                      "node_id: \"" + batch.node_id + "\" is not the store of this token (" + store_id + ")");
    if (batch.batch_id.empty()) return reject(BatchProblem::invalid, "batch_id: must not be empty");
    if (!is_clean_text(batch.batch_id)) return reject(BatchProblem::invalid, "batch_id: expected UTF-8 text");
    if (static_cast<std::int64_t>(batch.events.size()) > max_events)
        return reject(BatchProblem::too_large, "events: " + std::to_string(batch.events.size()) +
                                                   " events in one batch, more than the " +
                                                   std::to_string(max_events) + " this HQ accepts");

    std::map<std::int64_t, std::string> id_of_sequence;
    std::map<std::string, std::int64_t, std::less<>> sequence_of_id;
    out.batch.events.reserve(batch.events.size());
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
        const sdk::Value& e = batch.events[i];
        Checker c{"events[" + std::to_string(i) + "]", ""};
        if (!e.is_map()) return reject(BatchProblem::invalid, c.prefix + ": expected an object");
        IncomingEvent ev;
        ev.index = i;
        bool ok = c.string_field(e, "", "event_id") && c.string_field(e, "", "node_id") && c.string_field(e, "", "hlc") &&
                  c.string_field(e, "", "type") && c.string_field(e, "", "entity_id", false) &&
                  c.int_field(e, "", "created_utc_ms");
        if (!ok) return reject(BatchProblem::invalid, c.error);
        ev.event_id = e["event_id"].as_string();
        ev.node_id = e["node_id"].as_string();
        ev.hlc = e["hlc"].as_string();
        ev.type = e["type"].as_string();
        ev.entity_id = e["entity_id"].as_string();
        ev.created_utc_ms = e["created_utc_ms"].as_int();
        const sdk::Value* seq = e.find("sequence");
        if (!seq || !seq->is_int() || seq->as_int() < 1)
            return reject(BatchProblem::invalid, c.prefix + ".sequence: expected a positive integer");
        ev.sequence = seq->as_int();
        if (!domain::is_uuid_text(ev.event_id))
            return reject(BatchProblem::invalid, c.prefix + ".event_id: expected a UUID, got \"" + ev.event_id + "\"");
        if (ev.node_id != store_id)
            return reject(BatchProblem::wrong_store,
                          c.prefix + ".node_id: \"" + ev.node_id + "\" is not the batch's store " + store_id);
        if (!is_valid_hlc(ev.hlc, ev.node_id))
            return reject(BatchProblem::invalid, c.prefix + ".hlc: expected \"<15 digits>-<5 digits>-" + ev.node_id +
                                                     "\", got \"" + ev.hlc + "\"");
        if (ev.created_utc_ms < 0)
            return reject(BatchProblem::invalid, c.prefix + ".created_utc_ms: must not be negative");
        if (is_master_type(ev.type))
            return reject(BatchProblem::invalid, c.prefix + ".type: \"" + ev.type +
                                                     "\" is master data managed at HQ; a store cannot send it");
        const sdk::Value* payload = e.find("payload");
        if (!payload || !payload->is_map())
            return reject(BatchProblem::invalid, c.prefix + ".payload: expected an object");
        if (!check_payload(c, ev.type, *payload)) return reject(BatchProblem::invalid, c.error);
        for (const char* key : {"type", "entity_id"})
            if (auto bad = unclean_text(e[key], c.prefix + "." + key)) return reject(BatchProblem::invalid, *bad);
        if (auto bad = unclean_text(*payload, c.prefix + ".payload")) return reject(BatchProblem::invalid, *bad);
        auto [it, fresh] = id_of_sequence.emplace(ev.sequence, ev.event_id);
        if (!fresh && it->second != ev.event_id)
            return reject(BatchProblem::invalid, c.prefix + ".sequence: " + std::to_string(ev.sequence) +
                                                     " is also used by event " + it->second + " in this batch");
        auto [at, first] = sequence_of_id.emplace(ev.event_id, ev.sequence);
        if (!first && at->second != ev.sequence)
            return reject(BatchProblem::invalid, c.prefix + ".event_id: " + ev.event_id +
                                                     " also appears with sequence " + std::to_string(at->second));
        ev.payload = *payload;
        out.batch.events.push_back(std::move(ev));
    }
    out.ok = true;
    return out;
}

}  // namespace till::sync::hq
