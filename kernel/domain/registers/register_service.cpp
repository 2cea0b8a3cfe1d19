#include "domain/registers/register_service.hpp"

#include <algorithm>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/registers/drawer_kicker.hpp"
#include "domain/registers/register_schema.hpp"
#include "domain/registers/register_store.hpp"
#include "domain/registers/session_report.hpp"
#include "storage/migrations.hpp"

namespace till::domain {

using registers::CashMovementRow;
using registers::CloseFigures;
using registers::RegisterStore;
using registers::SessionFigures;
using registers::SessionRow;
using registers::ZReportRow;
using sdk::Value;

namespace {

sdk::Error err(std::string_view code, std::string message) { return sdk::Error{std::string(code), std::move(message)}; }

sdk::Status check_register_id(const std::string& id) {
    if (id.empty() || id.size() > 64)
        return err(error_code::invalid_argument, "register id must be 1 to 64 characters, got " +
                                                     std::to_string(id.size()));
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_' || c == '.' || c == ':';
        if (!ok)
            return err(error_code::invalid_argument,
                       "register id '" + id + "' may hold only letters, digits and - _ . :");
    }
    return {};
}

sdk::Error no_open_session(const std::string& register_id) {
    return err(error_code::invalid_state, "register " + register_id + " has no open session; open it first");
}

AuditEntry audit_entry(const Authorization& by, std::string action, const std::string& register_id,
                       std::string reason, Value details) {
    AuditEntry e;
    e.actor_user_id = by.principal.user_id;
    e.action = std::move(action);
    e.subject = "register:" + register_id;
    e.reason = std::move(reason);
    e.authorized_by = by.override_user_id;
    e.terminal_id = by.principal.terminal_id;
    e.details = std::move(details);
    return e;
}

Value z_envelope(const ZReportRow& row, Value report) {
    Value v = Value::map();
    v.set("register_id", row.register_id);
    v.set("z_number", row.z_number);
    v.set("session_id", row.session_id);
    v.set("created_utc_ms", row.created_utc_ms);
    v.set("sha256", row.report_sha256);
    v.set("report", std::move(report));
    return v;
}

sdk::Result<Value> z_envelope(const ZReportRow& row) {
    auto parsed = Value::parse_json(row.report_json);
    if (!parsed)
        return err("storage_error", "z report " + std::to_string(row.z_number) + " of register " + row.register_id +
                                        " is not valid JSON: " + parsed.error().message);
    return z_envelope(row, std::move(parsed.value()));
}

Value movement_value(const CashMovementRow& m) {
    Value v = Value::map();
    v.set("movement_id", m.movement_id);
    v.set("session_id", m.session_id);
    v.set("register_id", m.register_id);
    v.set("direction", m.direction);
    v.set("amount_minor", m.amount_minor);
    v.set("reason_code", m.reason_code);
    v.set("note", m.note);
    v.set("user_id", m.user_id);
    v.set("authorized_by", m.authorized_by.empty() ? Value() : Value(m.authorized_by));
    v.set("created_utc_ms", m.created_utc_ms);
    return v;
}

/// A change for HQ (docs/sync.md, "Payloads"), appended in `tx`.
sdk::Status replicate(DomainContext& ctx, sdk::SqlExecutor& tx, std::string_view type, std::string entity_id,
                      Value payload, bool high_priority) {
    ReplicatedChange change;
    change.type = std::string(type);
    change.entity_id = std::move(entity_id);
    change.payload = std::move(payload);
    change.high_priority = high_priority;
    return ctx.replication.append(tx, change);
}

/// A cash movement as sent to HQ: the movement as the API shows it, with
/// "kind" "cash_in" or "cash_out".
Value replicated_movement(const CashMovementRow& m) {
    Value v = movement_value(m);
    v.set("kind", m.direction == "in" ? "cash_in" : "cash_out");
    return v;
}

/// A no-sale as sent to HQ: the no-sale as the API shows it, in the shape of
/// a cash movement ("kind" "no_sale", "movement_id" = its id, no amount).
Value replicated_no_sale(const Value& no_sale) {
    Value v = no_sale;
    v.set("kind", "no_sale");
    v.set("movement_id", no_sale["no_sale_id"]);
    v.set("direction", Value());
    v.set("amount_minor", 0);
    v.set("reason_code", no_sale["reason"]);
    return v;
}

}  // namespace

struct RegisterService::Impl {
    DomainContext& ctx;
    Authorizer& authorizer;
    AuditLog& audit;
    OrderTotalsSource& orders;
    TenderTotalsSource& tenders;
    registers::DrawerKicker drawer;

    Impl(DomainContext& c, Authorizer& a, AuditLog& l, OrderTotalsSource& o, TenderTotalsSource& t)
        : ctx(c), authorizer(a), audit(l), orders(o), tenders(t), drawer(c.logger) {}

    RegisterStore store(sdk::SqlExecutor& tx) const { return RegisterStore(tx, ctx.storage.dialect()); }

    sdk::Result<SessionFigures> figures(sdk::SqlExecutor& tx, const SessionRow& session) {
        SessionFigures f;
        f.session = session;
        auto o = orders.order_totals(tx, session.session_id);
        if (!o) return o.error();
        f.orders = o.value();
        auto t = tenders.tender_totals(tx, session.session_id);
        if (!t) return t.error();
        f.tenders = std::move(t.value());
        RegisterStore s = store(tx);
        auto cash = s.cash_summary(session.session_id);
        if (!cash) return cash.error();
        f.cash = std::move(cash.value());
        auto no_sales = s.no_sale_count(session.session_id);
        if (!no_sales) return no_sales.error();
        f.no_sale_count = no_sales.value();
        return f;
    }

    /// The register's open session, read inside `tx` after locking its row.
    sdk::Result<SessionRow> locked_open_session(sdk::SqlExecutor& tx, const std::string& register_id) {
        RegisterStore s = store(tx);
        auto reg = s.lock_register(register_id);
        if (!reg) return reg.error();
        if (!reg.value() || reg.value()->current_session_id.empty()) return no_open_session(register_id);
        auto session = s.session(reg.value()->current_session_id);
        if (!session) return session.error();
        if (!session.value())
            return err("storage_error", "register " + register_id + " points at a missing session " +
                                            reg.value()->current_session_id);
        return *session.value();
    }

    /// The drawer of `register_id`: the cash drawer whose device id is the
    /// register id, else the only cash drawer registered; null when none.
    std::shared_ptr<sdk::CashDrawer> drawer_for(const std::string& register_id) const {
        std::vector<std::shared_ptr<sdk::CashDrawer>> drawers;
        for (const auto& id : ctx.registry.device_ids()) {
            auto d = std::dynamic_pointer_cast<sdk::CashDrawer>(ctx.registry.device(id));
            if (!d) continue;
            if (id == register_id) return d;
            drawers.push_back(std::move(d));
        }
        return drawers.size() == 1 ? drawers[0] : nullptr;
    }

    /// "requested" or "none" (no drawer registered / queue full).
    std::string kick_drawer(const std::string& register_id, const std::string& why) {
        auto d = drawer_for(register_id);
        if (!d) return "none";
        return drawer.request_open(std::move(d), why + " at register " + register_id) ? "requested" : "none";
    }
};

RegisterService::RegisterService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit,
                                 OrderTotalsSource& orders, TenderTotalsSource& tenders)
    : impl_(std::make_unique<Impl>(ctx, authorizer, audit, orders, tenders)) {}

RegisterService::~RegisterService() = default;

sdk::Status RegisterService::start() {
    sdk::Storage& storage = impl_->ctx.storage;
    if (auto st = storage::apply_migrations(storage, registers_module, registers::register_migrations()); !st.ok())
        return st;
    if (storage.dialect() == sdk::Dialect::sqlite) {
        for (const auto& statement : registers::sqlite_immutability_statements()) {
            auto r = storage.execute(statement);
            if (!r) return r.status();
        }
    }
    return {};
}

sdk::Result<std::optional<std::string>> RegisterService::open_session(sdk::SqlExecutor& tx,
                                                                      const std::string& register_id) {
    auto id = impl_->store(tx).open_session_id(register_id);
    if (!id) return id.error();
    if (!id.value() || id.value()->empty()) return std::optional<std::string>();
    return id.value();
}

sdk::Result<Value> RegisterService::open(const Authorization& by, const std::string& register_id,
                                         std::int64_t opening_float_minor, const std::string& note) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    if (opening_float_minor < 0)
        return invalid_field("$.opening_float_minor", "must be at least 0, got " + std::to_string(opening_float_minor));
    Impl& m = *impl_;
    SessionRow row;
    row.session_id = m.ctx.ids.next();
    row.register_id = register_id;
    row.state = "open";
    row.currency = m.ctx.sales.currency;
    row.opening_float_minor = opening_float_minor;
    row.opened_by_user_id = by.principal.user_id;
    row.opened_by_name = by.principal.user_name;
    row.opened_utc_ms = m.ctx.clock.now_utc_ms();
    row.open_note = note;

    sdk::Status done = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        RegisterStore s = m.store(tx);
        if (auto st = s.ensure_register(register_id, row.opened_utc_ms); !st.ok()) return st;
        auto reg = s.lock_register(register_id);
        if (!reg) return reg.status();
        if (!reg.value()) return err("storage_error", "register row " + register_id + " vanished");
        if (!reg.value()->current_session_id.empty())
            return err(error_code::conflict, "register " + register_id + " already has an open session (" +
                                                 reg.value()->current_session_id + "); close it first");
        if (auto st = s.insert_session(row); !st.ok()) return st;
        if (auto st = s.set_current_session(register_id, row.session_id, row.opened_utc_ms); !st.ok()) return st;
        Value details = Value::map();
        details.set("session_id", row.session_id);
        details.set("opening_float_minor", opening_float_minor);
        if (auto st = m.audit.append(tx, audit_entry(by, "register.open", register_id, note, std::move(details)));
            !st.ok())
            return st;
        return replicate(m.ctx, tx, change_type::register_session, row.session_id, registers::session_value(row),
                         true);
    });
    if (!done.ok()) return done.error();
    m.ctx.replication.committed_high_priority();
    Value out = registers::session_value(row);
    m.ctx.events.publish("register.opened", out);
    return out;
}

sdk::Result<Value> RegisterService::move_cash(const Authorization& by, const std::string& register_id,
                                              const CashMovementRequest& request) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    Impl& m = *impl_;
    if (request.amount_minor < 1)
        return invalid_field("$.amount_minor", "must be at least 1, got " + std::to_string(request.amount_minor));
    const auto& reasons = m.ctx.sales.cash_movement_reasons;
    if (std::find(reasons.begin(), reasons.end(), request.reason_code) == reasons.end()) {
        std::string known;
        for (const auto& r : reasons) known += (known.empty() ? "" : ", ") + r;
        return invalid_field("$.reason_code", "unknown reason code '" + request.reason_code +
                                                  "' (sales.cash_movement_reasons: " + known + ")");
    }
    CashMovementRow row;
    row.movement_id = m.ctx.ids.next();
    row.register_id = register_id;
    row.direction = request.direction == CashDirection::in ? "in" : "out";
    row.amount_minor = request.amount_minor;
    row.reason_code = request.reason_code;
    row.note = request.note;
    row.user_id = by.principal.user_id;
    row.authorized_by = by.override_user_id;
    row.created_utc_ms = m.ctx.clock.now_utc_ms();

    sdk::Status done = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto session = m.locked_open_session(tx, register_id);
        if (!session) return session.status();
        row.session_id = session->session_id;
        if (auto st = m.store(tx).insert_cash_movement(row); !st.ok()) return st;
        Value details = Value::map();
        details.set("movement_id", row.movement_id);
        details.set("session_id", row.session_id);
        details.set("direction", row.direction);
        details.set("amount_minor", row.amount_minor);
        details.set("note", row.note);
        if (auto st = m.audit.append(tx, audit_entry(by, "register.cash_move", register_id, row.reason_code,
                                                     std::move(details)));
            !st.ok())
            return st;
        return replicate(m.ctx, tx, change_type::cash_movement, row.movement_id, replicated_movement(row), false);
    });
    if (!done.ok()) return done.error();
    Value out = movement_value(row);
    m.ctx.events.publish("register.cash_moved", out);
    out.set("drawer", m.kick_drawer(register_id, "cash " + row.direction));
    return out;
}

sdk::Result<Value> RegisterService::no_sale(const Authorization& by, const std::string& register_id,
                                            const std::string& reason) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    if (reason.empty()) return invalid_field("$.reason", "must not be empty");
    Impl& m = *impl_;
    const std::string id = m.ctx.ids.next();
    const std::int64_t now = m.ctx.clock.now_utc_ms();
    std::string session_id;
    auto no_sale_value = [&] {
        Value v = Value::map();
        v.set("no_sale_id", id);
        v.set("register_id", register_id);
        v.set("session_id", session_id.empty() ? Value() : Value(session_id));
        v.set("reason", reason);
        v.set("user_id", by.principal.user_id);
        v.set("authorized_by", by.override_user_id.empty() ? Value() : Value(by.override_user_id));
        v.set("created_utc_ms", now);
        return v;
    };
    sdk::Status done = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        RegisterStore s = m.store(tx);
        auto reg = s.lock_register(register_id);  // so a close counts it or it lands after
        if (!reg) return reg.status();
        if (reg.value()) session_id = reg.value()->current_session_id;
        if (auto st = s.insert_no_sale(id, session_id, register_id, reason, by.principal.user_id,
                                       by.override_user_id, now);
            !st.ok())
            return st;
        Value details = Value::map();
        details.set("no_sale_id", id);
        details.set("session_id", session_id.empty() ? Value() : Value(session_id));
        if (auto st = m.audit.append(tx, audit_entry(by, "drawer.no_sale", register_id, reason, std::move(details)));
            !st.ok())
            return st;
        return replicate(m.ctx, tx, change_type::cash_movement, id, replicated_no_sale(no_sale_value()), false);
    });
    if (!done.ok()) return done.error();
    Value out = no_sale_value();
    m.ctx.events.publish("register.no_sale", out);
    out.set("drawer", m.kick_drawer(register_id, "no sale"));
    return out;
}

sdk::Result<Value> RegisterService::x_report(const std::string& register_id) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    Impl& m = *impl_;
    Value out;
    sdk::Status done = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto id = m.store(tx).open_session_id(register_id);
        if (!id) return id.status();
        if (!id.value() || id.value()->empty()) return no_open_session(register_id);
        auto session = m.store(tx).session(**id);
        if (!session) return session.status();
        if (!session.value()) return no_open_session(register_id);
        auto f = m.figures(tx, *session.value());
        if (!f) return f.status();
        out = registers::x_report_value(f.value(), m.ctx.clock.now_utc_ms());
        return {};
    });
    if (!done.ok()) return done.error();
    return out;
}

sdk::Result<Value> RegisterService::close(const Authorization& by, const std::string& register_id,
                                          const std::vector<CountedDenomination>& counted, const std::string& note,
                                          std::vector<std::string>* pending_payment_ids) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    if (auto s = validate_counted(counted); !s.ok()) return s.error();
    Impl& m = *impl_;
    const std::int64_t now = m.ctx.clock.now_utc_ms();
    SessionRow closed;
    ZReportRow z;
    Value report;
    CloseFigures close;
    close.counted = counted;
    close.counted_minor = counted_total_minor(counted);

    sdk::Status done = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        RegisterStore s = m.store(tx);
        auto session = m.locked_open_session(tx, register_id);
        if (!session) return session.status();
        auto f = m.figures(tx, session.value());
        if (!f) return f.status();
        // Under the register's row lock: a payment's intent (which takes the
        // row's share lock on PostgreSQL; SQLite is serial) is either seen
        // here or finds the session closed.
        if (auto pending = registers::pending_payment_ids(f.value()); !pending.empty()) {
            std::string ids;
            for (const auto& id : pending) ids += (ids.empty() ? "" : ", ") + id;
            if (pending_payment_ids) *pending_payment_ids = pending;
            return err(error_code::invalid_state,
                       "register " + register_id + " cannot close: " + std::to_string(pending.size()) +
                           (pending.size() == 1 ? " payment has" : " payments have") +
                           " no outcome yet (pending or uncertain): " + ids +
                           "; send each payment request again with its idempotency_key to learn its outcome, "
                           "then close");
        }
        auto number = s.take_z_number(register_id, now);
        if (!number) return number.status();

        close.z_number = number.value();
        close.expected_cash_minor = registers::expected_cash_minor(f.value());
        close.variance_minor = close.counted_minor - close.expected_cash_minor;

        SessionRow& row = f->session;
        row.state = "closed";
        row.closed_by_user_id = by.principal.user_id;
        row.closed_by_name = by.principal.user_name;
        row.closed_utc_ms = now;
        row.counted_minor = close.counted_minor;
        row.expected_cash_minor = close.expected_cash_minor;
        row.variance_minor = close.variance_minor;
        row.close_note = note;
        row.z_number = close.z_number;
        if (auto st = s.mark_closed(row); !st.ok()) return st;
        if (auto st = s.set_current_session(register_id, "", now); !st.ok()) return st;

        report = registers::z_report_value(f.value(), close, now);
        z.register_id = register_id;
        z.z_number = close.z_number;
        z.session_id = row.session_id;
        z.created_utc_ms = now;
        z.report_json = report.to_json();
        z.report_sha256 = registers::sha256_hex(z.report_json);
        if (auto st = s.insert_z_report(z); !st.ok()) return st;

        Value details = Value::map();
        details.set("session_id", row.session_id);
        details.set("counted_minor", close.counted_minor);
        details.set("expected_cash_minor", close.expected_cash_minor);
        details.set("variance_minor", close.variance_minor);
        details.set("z_number", close.z_number);
        if (auto st = m.audit.append(tx, audit_entry(by, "register.close", register_id, note, std::move(details)));
            !st.ok())
            return st;
        Value z_details = Value::map();
        z_details.set("session_id", row.session_id);
        z_details.set("z_number", close.z_number);
        z_details.set("sha256", z.report_sha256);
        if (auto st = m.audit.append(tx, audit_entry(by, "report.z", register_id, "", std::move(z_details)));
            !st.ok())
            return st;
        if (auto st = replicate(m.ctx, tx, change_type::register_session, row.session_id,
                                registers::session_value(row), true);
            !st.ok())
            return st;
        // Entity id "<register>/<z number>": register ids never hold '/'.
        if (auto st = replicate(m.ctx, tx, change_type::z_report, register_id + "/" + std::to_string(z.z_number),
                                z_envelope(z, report), true);
            !st.ok())
            return st;
        closed = row;
        return {};
    });
    if (!done.ok()) return done.error();
    m.ctx.replication.committed_high_priority();

    Value session = registers::session_value(closed);
    Value envelope = z_envelope(z, report);
    m.ctx.events.publish("register.closed", session);
    m.ctx.events.publish("report.z_created", envelope);

    Value out = Value::map();
    out.set("session", std::move(session));
    out.set("counted_minor", close.counted_minor);
    out.set("expected_cash_minor", close.expected_cash_minor);
    out.set("variance_minor", close.variance_minor);
    out.set("z_report", std::move(envelope));
    return out;
}

sdk::Result<Value> RegisterService::current_session(const std::string& register_id) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    RegisterStore s = impl_->store(impl_->ctx.storage);
    auto regs = s.lock_register(register_id);  // autocommit: the row lock ends with the statement
    if (!regs) return regs.error();
    if (!regs.value() || regs.value()->current_session_id.empty())
        return err(error_code::not_found, "register " + register_id + " has no open session");
    auto session = s.session(regs.value()->current_session_id);
    if (!session) return session.error();
    if (!session.value()) return err(error_code::not_found, "register " + register_id + " has no open session");
    return registers::session_value(*session.value());
}

sdk::Result<Value> RegisterService::z_report(const std::string& register_id, std::int64_t z_number) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    auto row = impl_->store(impl_->ctx.storage).z_report(register_id, z_number);
    if (!row) return row.error();
    if (!row.value())
        return err(error_code::not_found,
                   "register " + register_id + " has no z report number " + std::to_string(z_number));
    return z_envelope(*row.value());
}

sdk::Result<Value> RegisterService::list_z_reports(const std::string& register_id, std::int64_t after_number,
                                                   std::int64_t limit) {
    if (auto s = check_register_id(register_id); !s.ok()) return s.error();
    auto rows = impl_->store(impl_->ctx.storage).z_reports(register_id, after_number, limit + 1);
    if (!rows) return rows.error();
    Value items = Value::list();
    Value next;
    for (std::size_t i = 0; i < rows->size(); ++i) {
        if (static_cast<std::int64_t>(i) == limit) {
            next = std::to_string((*rows)[i - 1].z_number);
            break;
        }
        auto v = z_envelope((*rows)[i]);
        if (!v) return v.error();
        items.push_back(std::move(v.value()));
    }
    Value out = Value::map();
    out.set("items", std::move(items));
    out.set("next", std::move(next));
    return out;
}

sdk::Result<Value> RegisterService::list_registers() {
    RegisterStore s = impl_->store(impl_->ctx.storage);
    auto regs = s.all_registers();
    if (!regs) return regs.error();
    Value items = Value::list();
    for (const auto& r : regs.value()) {
        Value v = Value::map();
        v.set("register_id", r.register_id);
        v.set("first_seen_utc_ms", r.first_seen_utc_ms);
        v.set("last_z_number", r.next_z_number - 1);
        if (r.current_session_id.empty()) {
            v.set("state", "closed");
            v.set("current_session", Value());
        } else {
            auto session = s.session(r.current_session_id);
            if (!session) return session.error();
            v.set("state", "open");
            v.set("current_session", session.value() ? registers::session_value(*session.value()) : Value());
        }
        items.push_back(std::move(v));
    }
    Value out = Value::map();
    out.set("items", std::move(items));
    out.set("next", Value());
    return out;
}

}  // namespace till::domain

#include "domain/registers/register_routes.hpp"

namespace till::domain {
sdk::Status RegisterService::add_routes(api::Router& router) {
    return registers::add_register_routes(router, *this, impl_->authorizer);
}
}  // namespace till::domain
