#include "domain/transfers/transfer_service.hpp"

#include <set>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "storage/migrations.hpp"

namespace till::domain::transfers {

namespace {

using sdk::Value;

sdk::Error not_found(const std::string& id) {
    return sdk::Error{std::string(error_code::not_found), "no transfer with id " + id};
}

sdk::Error stale(const std::string& id, std::int64_t current, std::int64_t expected) {
    return sdk::Error{std::string(error_code::conflict),
                      "$.expected_version: transfer " + id + " is at version " + std::to_string(current) + ", not " +
                          std::to_string(expected) + "; reload it and try again"};
}

sdk::Error invalid_state(const std::string& message) {
    return sdk::Error{std::string(error_code::invalid_state), message};
}

Value lines_value(const std::vector<TransferLine>& lines) {
    Value out = Value::list();
    for (const auto& line : lines) {
        Value v = Value::map();
        v.set("sku", line.sku);
        v.set("qty_milli", line.qty_milli);
        if (line.received_qty_milli) v.set("received_qty_milli", *line.received_qty_milli);
        out.push_back(std::move(v));
    }
    return out;
}

bool same_lines(const std::vector<TransferLine>& a, const std::vector<TransferLine>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].sku != b[i].sku || a[i].qty_milli != b[i].qty_milli ||
            a[i].received_qty_milli != b[i].received_qty_milli)
            return false;
    return true;
}

}  // namespace

Actor Actor::from(const Authorization& a) {
    return Actor{a.principal.user_id, a.principal.terminal_id, a.override_user_id, a.override_reason};
}

TransferService::TransferService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, StockLedger& ledger,
                                 const CatalogLookup* catalog)
    : ctx_(ctx),
      authorizer_(authorizer),
      audit_(audit),
      ledger_(ledger),
      catalog_(catalog),
      store_(ctx.storage.dialect()),
      hlc_(ctx.clock, ctx.node.node_id) {}

TransferService::~TransferService() = default;

sdk::Status TransferService::start() {
    return storage::apply_migrations(ctx_.storage, "domain.transfers", transfer_migrations());
}

ReplicaApplier& TransferService::replica_applier(ConflictPolicy& policy) {
    if (!applier_) applier_ = std::make_unique<TransferApplier>(ctx_, store_, policy);
    else applier_->use_policy(policy);
    return *applier_;
}

void TransferService::use_policy(ConflictPolicy& policy) { replica_applier(policy); }

const std::string& TransferService::node_id() const { return ctx_.node.node_id; }
bool TransferService::is_hq() const { return ctx_.node.role == sdk::NodeRole::hq; }

sdk::Status TransferService::check_lines(const std::vector<TransferLine>& lines, const std::string& path) const {
    if (lines.empty() || lines.size() > limits::max_lines)
        return invalid_field(path, "expected 1 to " + std::to_string(limits::max_lines) + " lines");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string at = path + "[" + std::to_string(i) + "]";
        const TransferLine& line = lines[i];
        if (line.sku.empty() || line.sku.size() > limits::sku_bytes)
            return invalid_field(at + ".sku", "expected a SKU of 1 to " + std::to_string(limits::sku_bytes) + " bytes");
        if (!seen.insert(line.sku).second)
            return invalid_field(at + ".sku", "SKU " + line.sku + " is already on an earlier line");
        if (line.qty_milli < 1 || line.qty_milli > limits::max_qty_milli)
            return invalid_field(at + ".qty_milli",
                                 "expected an integer from 1 to " + std::to_string(limits::max_qty_milli));
        if (catalog_) {
            auto item = catalog_->find_item(line.sku);
            if (!item || item->sku != line.sku)
                return invalid_field(at + ".sku", "no item with SKU " + line.sku + " in the catalog");
        }
    }
    return {};
}

sdk::Status TransferService::check_involved(const std::string& from_store, const std::string& to_store) const {
    if (is_hq() || from_store == node_id() || to_store == node_id()) return {};
    return sdk::Error{std::string(error_code::forbidden),
                      "this store (" + node_id() + ") may only handle transfers that leave from or arrive at it, not " +
                          from_store + " → " + to_store + "; draft it at HQ or at one of those stores"};
}

sdk::Result<Transfer> TransferService::load_for_change(sdk::SqlExecutor& tx, const std::string& id,
                                                       std::int64_t expected_version) const {
    auto found = store_.find(tx, id, TransferStore::Lock::for_update);
    if (!found) return found.error();
    if (!*found) return not_found(id);
    if ((*found)->version != expected_version) return stale(id, (*found)->version, expected_version);
    return std::move(**found);
}

sdk::Status TransferService::record(sdk::SqlExecutor& tx, const Actor& by, const Transfer& t,
                                    const std::string& audit_action, const Value& details) {
    AuditEntry entry;
    entry.actor_user_id = by.user_id;
    entry.action = audit_action;
    entry.subject = "transfer:" + t.id;
    entry.reason = by.reason;
    entry.authorized_by = by.authorized_by;
    entry.terminal_id = by.terminal_id;
    entry.details = details.is_map() ? details : Value::map();
    entry.details.set("from_store", t.from_store);
    entry.details.set("to_store", t.to_store);
    entry.details.set("status", t.status);
    entry.details.set("version", t.version);
    if (auto s = audit_.append(tx, entry); !s.ok()) return s;
    return ctx_.replication.append(
        tx, ReplicatedChange{std::string(change_type::transfer), t.id, transfer_record(t), is_high_priority(t.status)});
}

sdk::Status TransferService::write_change(sdk::SqlExecutor& tx, const Actor& by, const Transfer& before,
                                          Transfer& after, const std::vector<std::string>& changed,
                                          const std::string& audit_action, const Value& details) {
    const FieldStamp stamp = hlc_.next(before.field_stamps);
    for (const std::string& field : changed) after.field_stamps[field] = stamp;
    after.version = before.version + 1;
    after.updated_utc_ms = ctx_.clock.now_utc_ms();
    auto written = store_.update(tx, after, before.version);
    if (!written) return written.status();
    if (!*written) return stale(after.id, before.version + 1, before.version);
    return record(tx, by, after, audit_action, details);
}

void TransferService::after_commit(const Transfer& t, const std::vector<StockLevel>& levels) {
    if (!levels.empty()) ledger_.announce(levels);
    if (is_high_priority(t.status)) ctx_.replication.committed_high_priority();
    ctx_.events.publish("transfer.changed", transfer_to_value(t));
}

sdk::Result<Transfer> TransferService::create(const Actor& by, const NewTransfer& input) {
    if (!is_store_id(input.from_store))
        return invalid_field("$.from_store", "expected a store id (1-64 characters of A-Z a-z 0-9 . _ -)");
    if (!is_store_id(input.to_store))
        return invalid_field("$.to_store", "expected a store id (1-64 characters of A-Z a-z 0-9 . _ -)");
    if (input.from_store == input.to_store)
        return invalid_field("$.to_store", "must be another store than from_store (" + input.from_store + ")");
    if (input.note.size() > limits::note_bytes)
        return invalid_field("$.note", "longer than " + std::to_string(limits::note_bytes) + " bytes");
    if (auto s = check_lines(input.lines, "$.lines"); !s.ok()) return s.error();
    if (auto s = check_involved(input.from_store, input.to_store); !s.ok()) return s.error();

    Transfer t;
    t.id = ctx_.ids.next();
    t.from_store = input.from_store;
    t.to_store = input.to_store;
    t.status = std::string(status::draft);
    t.note = input.note;
    t.lines = input.lines;
    for (auto& line : t.lines) line.received_qty_milli.reset();
    t.created_by = by.user_id;
    t.created_utc_ms = t.updated_utc_ms = ctx_.clock.now_utc_ms();
    t.version = 1;
    const FieldStamp stamp = hlc_.next();
    for (const std::string& field : transfer_fields()) t.field_stamps[field] = stamp;

    Value details = Value::map();
    details.set("lines", lines_value(t.lines));
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        if (auto s = store_.insert(tx, t); !s.ok()) return s;
        return record(tx, by, t, "transfer.created", details);
    });
    if (!done.ok()) return done.error();
    after_commit(t, {});
    return t;
}

sdk::Result<Transfer> TransferService::update(const Actor& by, const std::string& id, const TransferPatch& patch) {
    if (!is_uuid_text(id)) return not_found(id);
    if (patch.to_store && !is_store_id(*patch.to_store))
        return invalid_field("$.to_store", "expected a store id (1-64 characters of A-Z a-z 0-9 . _ -)");
    if (patch.note && patch.note->size() > limits::note_bytes)
        return invalid_field("$.note", "longer than " + std::to_string(limits::note_bytes) + " bytes");
    if (patch.lines)
        if (auto s = check_lines(*patch.lines, "$.lines"); !s.ok()) return s.error();

    Transfer result;
    bool changed_any = false;
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto loaded = load_for_change(tx, id, patch.expected_version);
        if (!loaded) return loaded.status();
        const Transfer& before = *loaded;
        if (before.status != status::draft)
            return invalid_state("transfer " + id + " is " + before.status + ": only a draft can be changed");
        if (auto s = check_involved(before.from_store, before.to_store); !s.ok()) return s;
        result = before;
        std::vector<std::string> changed;
        Value details = Value::map();
        if (patch.note && *patch.note != before.note) {
            result.note = *patch.note;
            changed.push_back("note");
        }
        if (patch.to_store && *patch.to_store != before.to_store) {
            if (*patch.to_store == before.from_store)
                return invalid_field("$.to_store", "must be another store than from_store (" + before.from_store + ")");
            if (auto s = check_involved(before.from_store, *patch.to_store); !s.ok()) return s;
            result.to_store = *patch.to_store;
            changed.push_back("to_store");
            details.set("to_store_before", before.to_store);
        }
        if (patch.lines && !same_lines(*patch.lines, before.lines)) {
            result.lines = *patch.lines;
            for (auto& line : result.lines) line.received_qty_milli.reset();
            changed.push_back("lines");
            details.set("lines_before", lines_value(before.lines));
            details.set("lines", lines_value(result.lines));
        }
        if (changed.empty()) return {};
        changed_any = true;
        Value fields = Value::list();
        for (const auto& f : changed) fields.push_back(f);
        details.set("changed_fields", std::move(fields));
        return write_change(tx, by, before, result, changed, "transfer.changed", details);
    });
    if (!done.ok()) return done.error();
    if (changed_any) after_commit(result, {});
    return result;
}

sdk::Result<Transfer> TransferService::send(const Actor& by, const std::string& id, std::int64_t expected_version) {
    if (!is_uuid_text(id)) return not_found(id);
    Transfer result;
    std::vector<StockLevel> levels;
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        levels.clear();
        auto loaded = load_for_change(tx, id, expected_version);
        if (!loaded) return loaded.status();
        const Transfer& before = *loaded;
        if (before.from_store != node_id())
            return invalid_state("transfer " + id + " leaves " + before.from_store + ": send it there (this is " +
                                 node_id() + ")");
        if (before.status != status::draft)
            return invalid_state("transfer " + id + " is " + before.status + ": only a draft can be sent");
        result = before;
        result.status = std::string(status::sent);
        result.sent_by = by.user_id;
        result.sent_utc_ms = ctx_.clock.now_utc_ms();
        for (const auto& line : result.lines) {
            auto level = ledger_.record(tx, StockMovement{line.sku, -line.qty_milli, "transfer", "transfer",
                                                          "transfer:" + id, by.user_id});
            if (!level) return level.status();
            levels.push_back(*level);
        }
        Value details = Value::map();
        details.set("lines", lines_value(result.lines));
        // The lines are stamped too: the goods that left are what the
        // transfer carries from now on, whatever an older edit elsewhere says.
        return write_change(tx, by, before, result, {"status", "sent_by", "sent_utc_ms", "lines"}, "transfer.sent",
                            details);
    });
    if (!done.ok()) return done.error();
    after_commit(result, levels);
    return result;
}

sdk::Result<Transfer> TransferService::receive(const Actor& by, const std::string& id, std::int64_t expected_version,
                                               const std::optional<std::vector<ReceivedLine>>& received) {
    if (!is_uuid_text(id)) return not_found(id);
    Transfer result;
    std::vector<StockLevel> levels;
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        levels.clear();
        auto loaded = load_for_change(tx, id, expected_version);
        if (!loaded) return loaded.status();
        const Transfer& before = *loaded;
        if (before.to_store != node_id())
            return invalid_state("transfer " + id + " arrives at " + before.to_store + ": receive it there (this is " +
                                 node_id() + ")");
        if (before.status != status::sent)
            return invalid_state("transfer " + id + " is " + before.status + ": only a sent transfer can be received");
        result = before;
        for (auto& line : result.lines) line.received_qty_milli = line.qty_milli;
        if (received) {
            std::set<std::string> seen;
            for (std::size_t i = 0; i < received->size(); ++i) {
                const ReceivedLine& r = (*received)[i];
                const std::string at = "$.lines[" + std::to_string(i) + "]";
                if (!seen.insert(r.sku).second)
                    return invalid_field(at + ".sku", "SKU " + r.sku + " is already on an earlier line");
                bool matched = false;
                for (auto& line : result.lines)
                    if (line.sku == r.sku) {
                        line.received_qty_milli = r.received_qty_milli;
                        matched = true;
                    }
                if (!matched) return invalid_field(at + ".sku", "SKU " + r.sku + " is not on transfer " + id);
            }
        }
        result.status = std::string(status::received);
        result.received_by = by.user_id;
        result.received_utc_ms = ctx_.clock.now_utc_ms();
        Value discrepancies = Value::list();
        for (const auto& line : result.lines) {
            const std::int64_t got = *line.received_qty_milli;
            if (got != line.qty_milli) {
                Value d = Value::map();
                d.set("sku", line.sku);
                d.set("qty_milli", line.qty_milli);
                d.set("received_qty_milli", got);
                d.set("difference_milli", got - line.qty_milli);
                discrepancies.push_back(std::move(d));
            }
            if (got == 0) continue;
            auto level = ledger_.record(
                tx, StockMovement{line.sku, got, "transfer", "transfer", "transfer:" + id, by.user_id});
            if (!level) return level.status();
            levels.push_back(*level);
        }
        Value details = Value::map();
        details.set("lines", lines_value(result.lines));
        details.set("discrepancies", std::move(discrepancies));
        return write_change(tx, by, before, result, {"status", "received_by", "received_utc_ms", "lines"},
                            "transfer.received", details);
    });
    if (!done.ok()) return done.error();
    after_commit(result, levels);
    return result;
}

sdk::Result<Transfer> TransferService::cancel(const Actor& by, const std::string& id, std::int64_t expected_version) {
    if (!is_uuid_text(id)) return not_found(id);
    Transfer result;
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto loaded = load_for_change(tx, id, expected_version);
        if (!loaded) return loaded.status();
        const Transfer& before = *loaded;
        if (before.status == status::sent || before.status == status::received)
            return invalid_state("transfer " + id + " is " + before.status +
                                 ": the goods have left; receive them and send them back with a new transfer");
        if (before.status != status::draft)
            return invalid_state("transfer " + id + " is " + before.status + ": only a draft can be cancelled");
        if (auto s = check_involved(before.from_store, before.to_store); !s.ok()) return s;
        result = before;
        result.status = std::string(status::cancelled);
        result.cancelled_by = by.user_id;
        result.cancelled_utc_ms = ctx_.clock.now_utc_ms();
        return write_change(tx, by, before, result, {"status", "cancelled_by", "cancelled_utc_ms"},
                            "transfer.cancelled", Value::map());
    });
    if (!done.ok()) return done.error();
    after_commit(result, {});
    return result;
}

sdk::Result<std::optional<Transfer>> TransferService::get(const std::string& id) {
    if (!is_uuid_text(id)) return std::optional<Transfer>();
    return store_.find(ctx_.storage, id);
}

sdk::Result<ListPage> TransferService::list(const ListQuery& query) { return store_.list(ctx_.storage, query); }

}  // namespace till::domain::transfers
