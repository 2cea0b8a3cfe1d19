#include "cash_method.hpp"

namespace till::payment_cash {

using namespace till::sdk;

namespace {

PaymentResponse approved(const CashEntry& e) {
    PaymentResponse r;
    r.outcome = PaymentOutcome::approved;
    r.approved = Money{e.amount_minor, e.currency};
    r.reference = e.reference;
    r.message = e.operation == "sale" ? "cash taken" : e.operation == "refund" ? "cash paid out" : "cash given back";
    r.details = Value::map();
    r.details.set("operation", e.operation);
    return r;
}

PaymentResponse failed(std::string message) {
    PaymentResponse r;
    r.outcome = PaymentOutcome::failed;
    r.message = std::move(message);
    return r;
}

}  // namespace

void CashMethod::attach(Storage& storage, const Clock& clock, std::shared_ptr<DrawerOpener> drawer) {
    std::lock_guard lock(mutex_);
    ledger_ = std::make_shared<CashLedger>(storage);
    clock_ = &clock;
    drawer_ = std::move(drawer);
}

void CashMethod::detach() {
    std::shared_ptr<DrawerOpener> drawer;
    {
        std::lock_guard lock(mutex_);
        ledger_.reset();
        clock_ = nullptr;
        drawer = std::move(drawer_);
    }
    // The opener's thread is joined here, outside the lock.
}

PaymentCapabilities CashMethod::capabilities() const {
    PaymentCapabilities c;
    c.refunds = true;
    c.voids = true;
    c.partial_approval = false;
    c.tips = true;
    c.gives_change = true;
    return c;
}

PaymentResponse CashMethod::answer(const std::string& operation, const PaymentRequest& request) {
    if (request.idempotency_key.empty()) return failed("no idempotency key");
    if (request.amount.amount_minor < 0) return failed("negative amount");
    std::shared_ptr<CashLedger> ledger;
    std::int64_t now = 0;
    std::shared_ptr<DrawerOpener> drawer;
    {
        std::lock_guard lock(mutex_);
        if (!ledger_) return failed("payment_cash is not started");
        ledger = ledger_;
        now = clock_->now_utc_ms();
        drawer = drawer_;
    }
    CashEntry entry;
    entry.idempotency_key = request.idempotency_key;
    entry.operation = operation;
    entry.order_id = request.order_id;
    entry.amount_minor = request.amount.amount_minor;
    entry.currency = request.amount.currency;
    entry.reference = "cash:" + request.idempotency_key;
    entry.original_reference = request.original_reference;
    entry.created_utc_ms = now;
    auto remembered = ledger->remember(entry);
    // Nothing recorded: the cashier must not move money on this answer.
    if (!remembered) return failed("cannot record the cash request: " + remembered.error().message);
    const bool is_new = remembered->second;
    // A key answers only the request it was first used for: the same key for
    // another operation, order or amount is refused, not answered with the
    // earlier request's result (which would record money that never moved).
    const CashEntry& first = remembered->first;
    if (!is_new && (first.operation != entry.operation || first.order_id != entry.order_id ||
                    first.amount_minor != entry.amount_minor || first.currency != entry.currency))
        return failed("idempotency key " + entry.idempotency_key + " was already used for another cash request (" +
                      first.operation + " of " + std::to_string(first.amount_minor) + " on order " + first.order_id +
                      ")");
    if (is_new && drawer && (operation == "sale" || operation == "refund"))
        drawer->request("cash " + operation + " " + request.idempotency_key);
    return approved(remembered->first);
}

PaymentResponse CashMethod::sale(const PaymentRequest& request) { return answer("sale", request); }
PaymentResponse CashMethod::refund(const PaymentRequest& request) { return answer("refund", request); }
PaymentResponse CashMethod::void_payment(const PaymentRequest& request) { return answer("void", request); }

PaymentResponse CashMethod::query_status(const std::string& idempotency_key) {
    std::shared_ptr<CashLedger> ledger;
    {
        std::lock_guard lock(mutex_);
        if (!ledger_) {
            PaymentResponse r;
            r.outcome = PaymentOutcome::uncertain;  // cannot look: do not let the kernel charge again
            r.message = "payment_cash is not started";
            return r;
        }
        ledger = ledger_;
    }
    auto found = ledger->find(idempotency_key);
    if (!found) {
        PaymentResponse r;
        r.outcome = PaymentOutcome::uncertain;
        r.message = "cannot read the cash requests: " + found.error().message;
        return r;
    }
    if (!*found) return failed("no cash request with this key was ever made");
    return approved(**found);
}

}  // namespace till::payment_cash
