// The payment flow: intent (commit) → method call (no transaction) →
// outcome (commit, settling the order when paid in full) → events.
#include "domain/payments/payment_service.hpp"

#include <exception>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/payments/payment_schema.hpp"
#include "domain/payments/payment_service_impl.hpp"
#include "domain/payments/refund_source.hpp"
#include "domain/payments/tender_plan.hpp"

namespace till::domain::payments {
namespace {

constexpr std::int64_t kMethodTimeoutMs = 60000;

bool payable_state(const std::string& state) { return state == "open" || state == "submitted"; }

sdk::Error error(std::string_view code, std::string message) { return sdk::Error{std::string(code), std::move(message)}; }

PaymentOutcomeRecord outcome_from(const sdk::PaymentResponse& r, const PaymentRecord& p, const std::string& user_id) {
    PaymentOutcomeRecord o;
    o.reference = r.reference;
    o.masked_pan = r.masked_pan;
    o.brand = r.brand;
    o.message = r.message;
    o.details = r.details;
    o.user_id = user_id;
    switch (r.outcome) {
        case sdk::PaymentOutcome::approved:
        case sdk::PaymentOutcome::partially_approved: {
            o.status = PaymentStatus::approved;
            std::int64_t approved = r.approved.amount_minor;
            if (r.outcome == sdk::PaymentOutcome::approved && approved == 0) approved = p.due_minor;
            approved = std::min(approved, p.due_minor);
            o.approved_minor = approved;
            // Less than asked (a partial approval): only that counts, without rounding.
            o.applied_minor = approved >= p.due_minor ? p.amount_minor : approved;
            o.approved_tip_minor = approved_tip(r.details, p.tip_minor, approved >= p.due_minor);
            break;
        }
        case sdk::PaymentOutcome::declined: o.status = PaymentStatus::declined; break;
        case sdk::PaymentOutcome::uncertain: o.status = PaymentStatus::uncertain; break;
        case sdk::PaymentOutcome::failed: o.status = PaymentStatus::failed; break;
    }
    return o;
}

}  // namespace

std::string request_fingerprint(const TakePaymentRequest& r) {
    sdk::Value v = sdk::Value::map();
    v.set("order_id", r.order_id);
    v.set("method_id", r.method_id);
    v.set("amount_minor", r.amount_minor);
    v.set("tendered_minor", r.tendered_minor ? sdk::Value(*r.tendered_minor) : sdk::Value());
    v.set("tip_minor", r.tip_minor);
    v.set("refund_to", r.refund_to);
    return v.to_json();
}

std::string topic_for(const PaymentRecord& p) {
    switch (p.outcome.status) {
        case PaymentStatus::approved: return p.kind == PaymentKind::sale ? "payment.recorded" : "payment.refunded";
        case PaymentStatus::pending: return "payment.pending";
        case PaymentStatus::declined: return "payment.declined";
        case PaymentStatus::failed: return "payment.failed";
        case PaymentStatus::uncertain: return "payment.uncertain";
        case PaymentStatus::voided: return "payment.voided";
    }
    return "payment.recorded";
}

PaymentService::PaymentService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit,
                               OrderSettlement& settlement, RegisterLookup& registers, ResolverSettings resolver)
    : impl_(std::make_unique<Impl>(ctx, authorizer, audit, settlement, registers, resolver)) {}

PaymentService::~PaymentService() { stop(); }

sdk::Status PaymentService::start() { return apply_payment_schema(impl_->ctx.storage); }

sdk::Result<std::vector<TenderTotals>> PaymentService::tender_totals(sdk::SqlExecutor& tx,
                                                                     const std::string& session_id) {
    return impl_->ledger.tender_totals(tx, session_id);
}

sdk::Value PaymentService::list_methods() const {
    sdk::Value items = sdk::Value::list();
    for (const auto& id : impl_->ctx.registry.payment_method_ids()) {
        auto method = impl_->ctx.registry.payment_method(id);
        if (!method) continue;
        const auto caps = method->capabilities();
        sdk::Value c = sdk::Value::map();
        c.set("refunds", caps.refunds);
        c.set("voids", caps.voids);
        c.set("partial_approval", caps.partial_approval);
        c.set("tips", caps.tips);
        c.set("gives_change", caps.gives_change);
        sdk::Value m = sdk::Value::map();
        m.set("method_id", id);
        m.set("display_name", method->display_name());
        m.set("capabilities", c);
        items.push_back(m);
    }
    sdk::Value body = sdk::Value::map();
    body.set("items", items);
    return body;
}

sdk::Result<PaymentAnswer> PaymentService::take_payment(const Authorization& by, const TakePaymentRequest& req,
                                                        const sdk::HttpRequest& http) {
    Impl& im = *impl_;
    if (req.idempotency_key.empty()) return invalid_field("$.idempotency_key", "must not be empty");
    if (is_reserved_key(req.idempotency_key))
        return invalid_field("$.idempotency_key", std::string("must not start with \"") + kReservedKeyPrefix + "\"");
    // One request per key at a time in this process; later ones answer from the ledger.
    auto claim = im.flights.claim(req.idempotency_key);
    const std::string fingerprint = request_fingerprint(req);

    // Phase 0 (read): a known key is answered from the ledger; a payout to a
    // tender that is not the original one needs "refund.other_tender" —
    // asked outside any transaction (an override writes its own audit entry).
    std::optional<PaymentRecord> known;
    bool other_tender = false;
    auto method = im.ctx.registry.payment_method(req.method_id);
    auto read = im.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = im.ledger.find_by_key(tx, req.idempotency_key);
        if (!found) return found.status();
        if (*found) {
            known = std::move(**found);
            return {};
        }
        auto balance = im.settlement.balance(tx, req.order_id);
        if (!balance) return balance.status();
        auto payments = im.ledger.for_order(tx, req.order_id);
        if (!payments) return payments.status();
        const auto sums = sum_payments(*payments);
        if (balance->total_minor - sums.applied_minor - sums.reserved_minor >= 0 || !method) return {};
        const std::string original = balance->is_return ? balance->original_order_id : req.order_id;
        auto source = choose_refund_source(tx, im.ledger, original, req.method_id, req.refund_to, req.amount_minor);
        if (!source) return source.status();
        other_tender = source->original_payment_id.empty();
        return {};
    });
    if (!read.ok()) return read.error();
    if (known) {
        if (known->request_json != fingerprint)
            return error(error_code::conflict, "idempotency_key " + req.idempotency_key +
                                                   " was already used for another payment request (payment " +
                                                   known->payment_id + "); use a new key for a new payment");
        return im.resume(by, *known);
    }
    if (!method)
        return error(error_code::unavailable,
                     "payment method \"" + req.method_id + "\" is not available (no running plugin provides it)");
    std::string authorized_by = by.override_user_id;
    if (other_tender) {
        auto granted = im.authorizer.authorize(by.principal, action::refund_other_tender, http);
        if (!granted) return granted.error();
        if (!granted->override_user_id.empty()) authorized_by = granted->override_user_id;
    }
    const auto caps = method->capabilities();

    // Phase 1: the intent, committed before the method is called. Relaxed
    // (not forced to disk): it survives the process being killed; after a
    // power cut the retry reaches the method with the same key, which the
    // SDK contract makes the same request. The outcome's commit forces it.
    PaymentRecord record;
    std::string original_reference;
    auto intent = im.ctx.storage.relaxed_transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        if (auto s = im.ledger.lock_order(tx, req.order_id); !s.ok()) return s;
        auto found = im.ledger.find_by_key(tx, req.idempotency_key);
        if (!found) return found.status();
        if (*found) return error(error_code::conflict, "idempotency_key " + req.idempotency_key + " was used meanwhile; retry");
        auto balance = im.settlement.balance(tx, req.order_id);
        if (!balance) return balance.status();
        if (!payable_state(balance->state))
            return error(error_code::invalid_state, "order " + req.order_id + " is " + balance->state + "; it takes no payments");
        const std::string& terminal = by.principal.terminal_id;
        if (terminal.empty())
            return error(error_code::invalid_state, "you are not logged in at a terminal; payments are taken at a register");
        auto session = im.registers.open_session(tx, terminal);
        if (!session) return session.status();
        if (!*session)
            return error(error_code::invalid_state, "register " + terminal + " has no open session; open it first");
        auto payments = im.ledger.for_order(tx, req.order_id);
        if (!payments) return payments.status();
        const auto sums = sum_payments(*payments);
        TenderContext tc;
        tc.remaining_minor = balance->total_minor - sums.applied_minor - sums.reserved_minor;
        tc.gives_change = caps.gives_change;
        tc.cash_rounding_minor = im.ctx.sales.cash_rounding_minor;
        tc.rounding_mode = im.ctx.sales.rounding_mode;
        auto plan = plan_tender({req.amount_minor, req.tendered_minor, req.tip_minor}, tc);
        if (!plan) return plan.status();
        if (req.tip_minor > 0 && !caps.tips && !caps.gives_change)
            return invalid_field("$.tip_minor", "payment method " + req.method_id + " takes no tips");
        if (plan->kind == PaymentKind::refund) {
            if (!caps.refunds)
                return invalid_field("$.method_id", "payment method " + req.method_id + " cannot pay money out");
            const std::string original = balance->is_return ? balance->original_order_id : req.order_id;
            auto source = choose_refund_source(tx, im.ledger, original, req.method_id, req.refund_to, plan->amount_minor);
            if (!source) return source.status();
            if (source->original_payment_id.empty() && !other_tender)
                return error(error_code::conflict, "the original payments changed meanwhile; retry");
            record.original_payment_id = source->original_payment_id;
            original_reference = source->original_reference;
        } else if (!req.refund_to.empty()) {
            return invalid_field("$.refund_to", "only for money paid out (the order's balance is positive)");
        }
        record.payment_id = im.ctx.ids.next();
        record.idempotency_key = req.idempotency_key;
        record.request_json = fingerprint;
        record.order_id = req.order_id;
        record.kind = plan->kind;
        record.method_id = req.method_id;
        record.currency = balance->currency.empty() ? im.ctx.sales.currency : balance->currency;
        record.amount_minor = plan->amount_minor;
        record.due_minor = plan->due_minor;
        record.rounding_minor = plan->rounding_minor;
        record.tendered_minor = plan->tendered_minor;
        record.change_minor = plan->change_minor;
        record.tip_minor = req.tip_minor;
        record.session_id = **session;
        record.terminal_id = terminal;
        record.user_id = by.principal.user_id;
        record.authorized_by = authorized_by;
        record.created_utc_ms = im.ctx.clock.now_utc_ms();
        record.step = 1;
        record.updated_utc_ms = record.created_utc_ms;
        record.outcome.status = PaymentStatus::pending;
        record.outcome.user_id = record.user_id;
        if (auto s = im.ledger.insert(tx, record); !s.ok()) return s;
        if (other_tender && record.kind == PaymentKind::refund) {
            AuditEntry entry;
            entry.actor_user_id = by.principal.user_id;
            entry.action = std::string(action::refund_other_tender);
            entry.subject = "order:" + req.order_id;
            entry.reason = "refund to a tender other than the original";
            entry.authorized_by = authorized_by;
            entry.terminal_id = terminal;
            entry.details = sdk::Value::map();
            entry.details.set("payment_id", record.payment_id);
            entry.details.set("method_id", record.method_id);
            entry.details.set("amount_minor", record.amount_minor);
            if (auto s = im.audit.append(tx, entry); !s.ok()) return s;
        }
        return {};
    });
    if (!intent.ok()) return intent.error();
    im.publish(record);

    // Phase 2: the method, outside any transaction.
    const auto response = im.call_method(*method, record, original_reference);
    // Phase 3: the outcome.
    auto answer = im.record_outcome(by, record.payment_id, response);
    return answer;
}

sdk::PaymentResponse PaymentService::Impl::call_method(sdk::PaymentMethod& method, const PaymentRecord& p,
                                                       const std::string& original_reference) const {
    sdk::PaymentRequest request;
    request.idempotency_key = p.idempotency_key;
    request.order_id = p.order_id;
    request.amount = sdk::Money{p.due_minor, p.currency};
    request.tip_minor = p.tip_minor;
    request.original_reference = original_reference;
    request.timeout_ms = kMethodTimeoutMs;
    try {
        return p.kind == PaymentKind::sale ? method.sale(request) : method.refund(request);
    } catch (const std::exception& e) {
        // An exception after the provider may have acted: the outcome is unknown.
        sdk::PaymentResponse r;
        r.outcome = sdk::PaymentOutcome::uncertain;
        r.message = std::string("payment method threw: ") + e.what();
        ctx.logger->error("payment " + p.payment_id + ": method " + p.method_id + " threw: " + e.what());
        return r;
    } catch (...) {
        sdk::PaymentResponse r;
        r.outcome = sdk::PaymentOutcome::uncertain;
        r.message = "payment method threw a non-standard exception";
        return r;
    }
}

sdk::Result<PaymentAnswer> PaymentService::Impl::record_outcome(const Authorization& by, const std::string& payment_id,
                                                                const sdk::PaymentResponse& response) {
    PaymentRecord latest;
    bool settled = false;
    bool changed = false;
    std::int64_t remaining = 0;
    std::string settle_problem;
    bool session_closed = false;
    auto attempt = [&](bool settle) {
        return ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            settled = changed = session_closed = false;
            auto found = ledger.find(tx, payment_id);
            if (!found) return found.status();
            if (!*found) return error(error_code::not_found, "payment " + payment_id + " is gone");
            if (auto s = ledger.lock_order(tx, (*found)->order_id); !s.ok()) return s;
            found = ledger.find(tx, payment_id);  // again, under the lock
            if (!found) return found.status();
            latest = **found;
            if (is_open(latest.outcome.status)) {
                // The outcome belongs to the payment's session. A register
                // does not close while a payment of its session is open, and
                // this read (a share lock on the register's row on
                // PostgreSQL) orders this commit against a close: the close
                // sees this outcome, or refuses because of the open payment.
                // Only an attempt left open before that rule can find its
                // session closed; the provider's answer is still recorded
                // (money may have moved) and flagged.
                auto session = registers.open_session(tx, latest.terminal_id);
                if (!session) return session.status();
                session_closed = !*session || **session != latest.session_id;
            }
            const auto next = outcome_from(response, latest, by.principal.user_id);
            if (may_follow(latest.outcome.status, next.status)) {
                const std::int64_t now = ctx.clock.now_utc_ms();
                if (auto s = ledger.append(tx, latest, next, now); !s.ok()) return s;
                latest.outcome = next;
                latest.step += 1;
                latest.updated_utc_ms = now;
                changed = true;
            }
            auto balance = settlement.balance(tx, latest.order_id);
            if (!balance) return balance.status();
            auto payments = ledger.for_order(tx, latest.order_id);
            if (!payments) return payments.status();
            remaining = balance->total_minor - sum_payments(*payments).applied_minor;
            if (changed && latest.outcome.status == PaymentStatus::approved && remaining == 0 && settle &&
                payable_state(balance->state)) {
                if (auto s = settlement.settle(tx, latest.order_id, by); !s.ok()) {
                    settle_problem = s.error().code + ": " + s.error().message;
                    return s;
                }
                settled = true;
            }
            return {};
        });
    };
    auto done = attempt(true);
    if (!done.ok() && !settle_problem.empty()) {
        // The money moved: the payment is recorded whatever the order says.
        ctx.logger->error("payment " + payment_id + " approved but order " + latest.order_id +
                          " could not be settled: " + settle_problem);
        done = attempt(false);
    }
    if (!done.ok()) return done.error();
    const bool late = changed && session_closed;
    if (late)
        ctx.logger->error("payment " + payment_id + " got its outcome (" + status_name(latest.outcome.status) +
                          ") after its register session " + latest.session_id +
                          " closed: it is not on that session's Z report");
    if (changed) publish(latest);
    if (settled) settlement.after_settled(latest.order_id);
    PaymentAnswer answer = answer_for(latest, !changed);
    answer.order_settled = settled;
    answer.remaining_minor = remaining;
    if (!settle_problem.empty()) answer.payment.set("settle_problem", settle_problem);
    if (late)
        answer.payment.set("session_problem", "register session " + latest.session_id +
                                                  " closed before this outcome; it is not on its Z report");
    return answer;
}

sdk::Result<std::string> PaymentService::Impl::original_reference_of(const std::string& original_payment_id) {
    if (original_payment_id.empty()) return std::string();
    std::string reference;
    auto s = ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = ledger.find(tx, original_payment_id);
        if (!found) return found.status();
        if (*found) reference = (*found)->outcome.reference;
        return {};
    });
    if (!s.ok()) return s.error();
    return reference;
}

sdk::Result<PaymentAnswer> PaymentService::Impl::resume(const Authorization& by, const PaymentRecord& record) {
    if (!is_open(record.outcome.status)) {
        PaymentAnswer answer = answer_for(record, true);
        return answer;
    }
    auto method = ctx.registry.payment_method(record.method_id);
    if (!method)
        return error(error_code::unavailable, "payment " + record.payment_id + " is " + status_name(record.outcome.status) +
                                                  " and its method \"" + record.method_id +
                                                  "\" is not available to ask; retry when it is");
    // Never charge twice: ask first what became of this key.
    sdk::PaymentResponse status;
    try {
        status = method->query_status(record.idempotency_key);
    } catch (...) {
        status.outcome = sdk::PaymentOutcome::uncertain;
        status.message = "query_status threw";
    }
    if (status.outcome == sdk::PaymentOutcome::failed) {
        // The provider never saw this key: the attempt can be made now.
        auto reference = original_reference_of(record.original_payment_id);
        if (!reference) return reference.error();
        status = call_method(*method, record, *reference);
    }
    auto answer = record_outcome(by, record.payment_id, status);
    if (answer && answer->http_status == 201) answer->http_status = 200;
    if (answer) answer->replayed = true;
    return answer;
}

PaymentAnswer PaymentService::Impl::answer_for(const PaymentRecord& record, bool replayed) const {
    PaymentAnswer a;
    a.payment = to_value(record);
    a.replayed = replayed;
    switch (record.outcome.status) {
        case PaymentStatus::approved:
        case PaymentStatus::voided: a.http_status = replayed ? 200 : 201; break;
        case PaymentStatus::pending:
        case PaymentStatus::uncertain:
            a.http_status = 202;
            a.payment.set("hint", "the outcome is not known yet: send the same request with the same "
                                  "idempotency_key to learn it (it will not charge twice)");
            break;
        case PaymentStatus::declined: a.http_status = 402; break;
        case PaymentStatus::failed: a.http_status = 503; break;
    }
    return a;
}

void PaymentService::Impl::publish(const PaymentRecord& record) const {
    ctx.events.publish(topic_for(record), to_value(record));
}

}  // namespace till::domain::payments
