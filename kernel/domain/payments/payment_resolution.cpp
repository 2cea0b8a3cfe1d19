// Resolving open attempts without the client: the route
// POST /api/v1/payments/{payment_id}/resolve and the background resolver.
// Only query_status is ever called here (never sale/refund again); the
// answer is recorded through record_outcome, as a client's resend records it.
#include <exception>

#include "domain/common/http_errors.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/payments/payment_service_impl.hpp"

namespace till::domain::payments {
namespace {

sdk::Error error(std::string_view code, std::string message) { return sdk::Error{std::string(code), std::move(message)}; }

sdk::Result<std::optional<PaymentRecord>> read(sdk::Storage& storage, const PaymentLedger& ledger,
                                               const std::string& payment_id) {
    std::optional<PaymentRecord> out;
    auto s = storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = ledger.find(tx, payment_id);
        if (!found) return found.status();
        out = std::move(*found);
        return {};
    });
    if (!s.ok()) return s.error();
    return out;
}

// A definite answer: the provider saw the key and decided.
bool definite(sdk::PaymentOutcome o) {
    return o == sdk::PaymentOutcome::approved || o == sdk::PaymentOutcome::partially_approved ||
           o == sdk::PaymentOutcome::declined;
}

Authorization resolver_principal(const PaymentRecord& record) {
    Authorization by;
    by.principal.user_id = kResolverUserId;
    by.principal.user_name = "payments resolver";
    by.principal.role = "system";
    by.principal.terminal_id = record.terminal_id;
    return by;
}

}  // namespace

sdk::Result<std::optional<PaymentAnswer>> PaymentService::Impl::resolve(const Authorization& by,
                                                                       const std::string& payment_id, KeyWait wait) {
    auto first = read(ctx.storage, ledger, payment_id);
    if (!first) return first.error();
    if (!*first) return error(error_code::not_found, "no payment " + payment_id);
    if (!is_open((*first)->outcome.status)) return std::optional<PaymentAnswer>(answer_for(**first, true));

    // The same claim as a client's resend of this key: whoever holds it
    // records; the other answers from the ledger afterwards.
    const std::string& key = (*first)->idempotency_key;
    const std::optional<KeyFlights::Claim> claim =
        wait == KeyWait::wait ? std::optional<KeyFlights::Claim>(flights.claim(key)) : flights.try_claim(key);
    if (!claim) return std::optional<PaymentAnswer>();

    auto again = read(ctx.storage, ledger, payment_id);  // a request in flight may have finished meanwhile
    if (!again) return again.error();
    if (!*again) return error(error_code::not_found, "no payment " + payment_id);
    const PaymentRecord record = **again;
    if (!is_open(record.outcome.status)) return std::optional<PaymentAnswer>(answer_for(record, true));

    auto method = ctx.registry.payment_method(record.method_id);
    if (!method)
        return error(error_code::unavailable, "payment " + record.payment_id + " is " +
                                                  status_name(record.outcome.status) + " and its method \"" +
                                                  record.method_id + "\" is not available to ask; retry when it is");
    sdk::PaymentResponse status;
    try {
        status = method->query_status(record.idempotency_key);
    } catch (const std::exception& e) {
        status.outcome = sdk::PaymentOutcome::uncertain;
        status.message = std::string("query_status threw: ") + e.what();
    } catch (...) {
        status.outcome = sdk::PaymentOutcome::uncertain;
        status.message = "query_status threw";
    }
    // A young pending attempt's request may not have reached the provider
    // yet (another process may be sending it): "never saw it" or "cannot
    // say" is no outcome for it.
    const bool young = ctx.clock.now_utc_ms() - record.created_utc_ms < resolver.grace_ms;
    if (record.outcome.status == PaymentStatus::pending && young && !definite(status.outcome))
        return std::optional<PaymentAnswer>(answer_for(record, true));
    // Still not known: nothing to append (uncertain never follows uncertain).
    if (record.outcome.status == PaymentStatus::uncertain && status.outcome == sdk::PaymentOutcome::uncertain)
        return std::optional<PaymentAnswer>(answer_for(record, true));

    auto answer = record_outcome(by, record.payment_id, status);
    if (!answer) return answer.error();
    if (answer->http_status == 201) answer->http_status = 200;
    answer->replayed = true;
    return std::optional<PaymentAnswer>(std::move(*answer));
}

sdk::Result<PaymentAnswer> PaymentService::resolve_payment(const Authorization& by, const std::string& payment_id) {
    auto answer = impl_->resolve(by, payment_id, Impl::KeyWait::wait);
    if (!answer) return answer.error();
    if (!*answer) return error(error_code::unavailable, "payment " + payment_id + " is busy; retry");
    return std::move(**answer);
}

std::size_t PaymentService::resolve_open_payments() {
    Impl& im = *impl_;
    std::lock_guard round(im.resolver_round_mutex);
    const std::size_t limit = im.resolver.max_per_round > 0 ? im.resolver.max_per_round : 1;
    std::vector<PaymentRecord> due;
    auto s = im.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        const std::int64_t cutoff = im.ctx.clock.now_utc_ms() - im.resolver.grace_ms;
        auto open = im.ledger.open_attempts(tx, cutoff, im.resolver_cursor, limit);
        if (!open) return open.status();
        if (open->empty() && im.resolver_cursor.created_utc_ms >= 0) {
            im.resolver_cursor = OpenCursor{};  // wrapped: start from the oldest again
            open = im.ledger.open_attempts(tx, cutoff, im.resolver_cursor, limit);
            if (!open) return open.status();
        }
        due = std::move(*open);
        return {};
    });
    if (!s.ok()) {
        im.ctx.logger->warn("payments resolver: cannot read the open attempts: " + s.error().message);
        return 0;
    }
    if (due.size() < limit)
        im.resolver_cursor = OpenCursor{};  // this round reached the newest: the next starts over
    else
        im.resolver_cursor = OpenCursor{due.back().created_utc_ms, due.back().payment_id};

    std::size_t resolved = 0;
    for (const auto& p : due) {
        if (im.worker.stopping()) break;
        auto answer = im.resolve(resolver_principal(p), p.payment_id, Impl::KeyWait::skip_if_busy);
        if (!answer) {
            im.ctx.logger->warn("payments resolver: payment " + p.payment_id + ": " + answer.error().code + ": " +
                                answer.error().message);
            continue;
        }
        if (!*answer) continue;  // a request is working on its key right now
        const std::string status = (**answer).payment["status"].as_string();
        if (status == "pending" || status == "uncertain") continue;
        ++resolved;
        im.ctx.logger->info("payments resolver: payment " + p.payment_id + " (" + p.method_id + ", key " +
                            p.idempotency_key + ") is " + status +
                            ((**answer).order_settled ? "; order " + p.order_id + " settled" : std::string()));
    }
    return resolved;
}

sdk::Status PaymentService::start_resolver() {
    Impl& im = *impl_;
    const bool started = im.worker.start(im.resolver.interval_ms, [this, &im] {
        try {
            (void)resolve_open_payments();
        } catch (const std::exception& e) {
            im.ctx.logger->error(std::string("payments resolver: round failed: ") + e.what());
        } catch (...) {
            im.ctx.logger->error("payments resolver: round failed");
        }
    });
    if (!started) return error(error_code::invalid_state, "the payments resolver already runs");
    im.ctx.logger->info("payments resolver: every " + std::to_string(im.resolver.interval_ms) +
                        " ms, attempts older than " + std::to_string(im.resolver.grace_ms) + " ms");
    return {};
}

void PaymentService::stop() {
    if (impl_) impl_->worker.stop();
}

}  // namespace till::domain::payments
