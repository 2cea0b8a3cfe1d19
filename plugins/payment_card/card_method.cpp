#include "card_method.hpp"

#include <algorithm>

#include "pan_mask.hpp"

namespace till::payment_card {

using sdk::PaymentOutcome;
using sdk::PaymentResponse;
using sdk::Value;

namespace {

PaymentResponse with_outcome(PaymentOutcome outcome, std::string message) {
    PaymentResponse r;
    r.outcome = outcome;
    r.message = std::move(message);
    return r;
}

const char* outcome_text(PaymentOutcome o) {
    switch (o) {
        case PaymentOutcome::approved: return "approved";
        case PaymentOutcome::partially_approved: return "partially approved";
        case PaymentOutcome::declined: return "declined";
        case PaymentOutcome::uncertain: return "uncertain";
        case PaymentOutcome::failed: return "failed";
    }
    return "?";
}

bool is_transaction(const std::string& type) { return type == "sale" || type == "refund" || type == "void"; }

/// Text that may quote what the terminal sent (its error message, an unknown
/// result, a key): a card number in it never leaves the plugin.
std::string scrub_terminal_text(const std::string& text) {
    bool scrubbed = false;
    return scrub_card_numbers(text, scrubbed);
}

}  // namespace

sdk::Result<CardSettings> card_settings(const Value& config) {
    CardSettings s;
    s.method_id = config["method_id"].as_string("card");
    s.display_name = config["display_name"].as_string("Card");
    s.host = config["host"].as_string("127.0.0.1");
    s.port = static_cast<int>(config["port"].as_int(0));
    s.terminal_id = config["terminal_id"].as_string("");
    s.connect_timeout_ms = config["connect_timeout_ms"].as_int(s.connect_timeout_ms);
    s.response_timeout_ms = config["response_timeout_ms"].as_int(s.response_timeout_ms);
    s.status_timeout_ms = config["status_timeout_ms"].as_int(s.status_timeout_ms);
    auto invalid = [](const std::string& key, const std::string& what) {
        return sdk::Error{"invalid_argument", "payment_card." + key + ": " + what};
    };
    if (s.method_id.empty()) return invalid("method_id", "must not be empty");
    if (s.display_name.empty()) return invalid("display_name", "must not be empty");
    if (s.host.empty()) return invalid("host", "must not be empty");
    if (s.port <= 0 || s.port > 65535)
        return invalid("port", "is not set: give the TCP port of the card terminal (or of till-card-terminal-sim)");
    return s;
}

void CardMethod::attach(sdk::Logger& logger) {
    std::lock_guard lock(mutex_);
    logger_ = &logger;
}

void CardMethod::detach() {
    std::lock_guard lock(mutex_);
    logger_ = nullptr;
}

bool CardMethod::started() const {
    std::lock_guard lock(mutex_);
    return logger_ != nullptr;
}

void CardMethod::log(sdk::LogLevel level, const std::string& message) const {
    std::lock_guard lock(mutex_);
    if (logger_) logger_->log(level, message);
}

sdk::PaymentCapabilities CardMethod::capabilities() const {
    sdk::PaymentCapabilities c;
    c.refunds = true;
    c.voids = true;
    c.partial_approval = true;
    c.tips = true;
    c.gives_change = false;
    return c;
}

PaymentResponse CardMethod::sale(const sdk::PaymentRequest& r) { return transact(Operation::sale, r); }
PaymentResponse CardMethod::refund(const sdk::PaymentRequest& r) { return transact(Operation::refund, r); }
PaymentResponse CardMethod::void_payment(const sdk::PaymentRequest& r) { return transact(Operation::void_payment, r); }

PaymentResponse CardMethod::from_answer(const TerminalAnswer& a, const std::string& context) const {
    PaymentResponse r;
    bool showed_more = false;
    r.masked_pan = mask_pan(a.masked_pan, showed_more);
    if (showed_more)
        log(sdk::LogLevel::warn, context + ": the card terminal sent more of the card number than its last 4 digits; "
                                           "only the last 4 are kept");
    bool scrubbed = false, scrubbed_any = false;
    r.message = scrub_card_numbers(a.message, scrubbed);
    scrubbed_any |= scrubbed;
    r.brand = scrub_card_numbers(a.brand, scrubbed);
    scrubbed_any |= scrubbed;
    const std::string auth_code = scrub_card_numbers(a.auth_code, scrubbed);
    scrubbed_any |= scrubbed;
    if (scrubbed_any)
        log(sdk::LogLevel::warn, context + ": the card terminal's answer held a card number; it was masked");
    r.reference = a.reference;
    r.approved = sdk::Money{a.approved_minor, a.currency};
    r.details = Value::map();
    r.details.set("terminal_operation", a.of.empty() ? a.type : a.of);
    r.details.set("requested_minor", a.amount_minor);
    r.details.set("approved_tip_minor", a.tip_minor);
    if (!auth_code.empty()) r.details.set("auth_code", auth_code);
    if (!a.original_reference.empty()) r.details.set("original_reference", a.original_reference);
    if (!settings_.terminal_id.empty()) r.details.set("terminal_id", settings_.terminal_id);
    if (a.replayed) r.details.set("terminal_replayed", true);
    switch (a.result) {
        case TerminalResult::approved:
            // Never mark paid what was not: an approval must be for exactly
            // what was asked.
            if (a.approved_minor != a.amount_minor || a.approved_minor <= 0) {
                r.outcome = PaymentOutcome::uncertain;
                r.message = "the card terminal answered approved for " + std::to_string(a.approved_minor) + " of " +
                            std::to_string(a.amount_minor) + " minor units; check the terminal's journal";
            } else {
                r.outcome = PaymentOutcome::approved;
            }
            break;
        case TerminalResult::partially_approved:
            if (a.approved_minor <= 0 || a.approved_minor >= a.amount_minor || (a.of.empty() ? a.type : a.of) != "sale") {
                r.outcome = PaymentOutcome::uncertain;
                r.message = "the card terminal answered a partial approval of " + std::to_string(a.approved_minor) +
                            " of " + std::to_string(a.amount_minor) + " minor units; check the terminal's journal";
            } else {
                r.outcome = PaymentOutcome::partially_approved;
            }
            break;
        case TerminalResult::declined:
            r.outcome = PaymentOutcome::declined;
            r.approved = sdk::Money{0, a.currency};
            break;
        case TerminalResult::error:
            // The terminal refused the request before any money moved and
            // keeps nothing for the key.
            r.outcome = PaymentOutcome::failed;
            r.approved = sdk::Money{0, a.currency};
            r.message = "the card terminal refused the request (" + a.error_code + "): " + r.message;
            break;
        default:
            r.outcome = PaymentOutcome::uncertain;
            r.message = std::string("the card terminal answered \"") + result_name(a.result) + "\"";
            break;
    }
    if (r.message.empty()) r.message = std::string("card ") + outcome_text(r.outcome);
    return r;
}

PaymentResponse CardMethod::transact(Operation op, const sdk::PaymentRequest& request) {
    const std::string context = std::string("card ") + operation_name(op) + " " + request.idempotency_key;
    if (request.idempotency_key.empty()) return with_outcome(PaymentOutcome::failed, "no idempotency key");
    if (request.amount.amount_minor <= 0) return with_outcome(PaymentOutcome::failed, "the amount must be positive");
    if (request.tip_minor < 0) return with_outcome(PaymentOutcome::failed, "the tip must not be negative");
    if (op == Operation::void_payment && request.original_reference.empty())
        return with_outcome(PaymentOutcome::failed, "a card void needs the sale's terminal reference");
    if (!started()) return with_outcome(PaymentOutcome::failed, "payment_card is not started");

    TerminalRequest t;
    t.op = op;
    t.key = request.idempotency_key;
    t.terminal_id = settings_.terminal_id;
    t.amount_minor = request.amount.amount_minor;
    t.tip_minor = op == Operation::refund ? 0 : request.tip_minor;
    t.currency = request.amount.currency;
    t.order_id = request.order_id;
    t.original_reference = request.original_reference;
    std::int64_t timeout_ms = settings_.response_timeout_ms;
    if (request.timeout_ms > 0) timeout_ms = std::min(timeout_ms, request.timeout_ms);

    const Exchange x = exchange_line(settings_.host, settings_.port, to_value(t).to_json(),
                                     settings_.connect_timeout_ms, timeout_ms);
    PaymentResponse r;
    if (x.stage == ExchangeStage::not_sent) {
        r = with_outcome(PaymentOutcome::failed, "the card terminal was not reached (" + x.error + "); nothing was charged");
    } else if (x.stage == ExchangeStage::sent) {
        r = with_outcome(PaymentOutcome::uncertain,
                         "no answer from the card terminal (" + x.error +
                             "); the outcome is unknown: send the same request again to learn it");
    } else if (auto a = parse_answer(x.line); !a) {
        r = with_outcome(PaymentOutcome::uncertain, a.error().message);
    } else if (a->key != t.key || !is_transaction(a->type) || a->type != operation_name(op)) {
        r = with_outcome(PaymentOutcome::uncertain,
                         "the card terminal answered another request (" + a->type + " " + a->key + ")");
    } else if ((a->result == TerminalResult::approved || a->result == TerminalResult::partially_approved) &&
               (a->amount_minor != t.amount_minor || a->currency != t.currency || a->tip_minor > t.tip_minor)) {
        r = with_outcome(PaymentOutcome::uncertain, "the card terminal approved another amount (" +
                                                        std::to_string(a->amount_minor) + " " + a->currency +
                                                        "); check the terminal's journal");
    } else {
        r = from_answer(*a, context);
    }
    r.message = scrub_terminal_text(r.message);  // errors may quote the terminal's words
    const auto level = r.outcome == PaymentOutcome::uncertain ? sdk::LogLevel::warn : sdk::LogLevel::info;
    log(level, context + " of " + std::to_string(t.amount_minor) + (t.tip_minor ? "+" + std::to_string(t.tip_minor) : "") +
                   " " + t.currency + ": " + outcome_text(r.outcome) +
                   (r.reference.empty() ? "" : " ref " + r.reference) +
                   (r.masked_pan.empty() ? "" : " " + r.brand + " " + r.masked_pan) + " — " + r.message);
    return r;
}

PaymentResponse CardMethod::query_status(const std::string& idempotency_key) {
    const std::string context = "card status " + idempotency_key;
    if (!started())  // cannot look: do not let the kernel charge again
        return with_outcome(PaymentOutcome::uncertain, "payment_card is not started");
    TerminalRequest t;
    t.op = Operation::status;
    t.key = idempotency_key;
    t.terminal_id = settings_.terminal_id;
    const Exchange x = exchange_line(settings_.host, settings_.port, to_value(t).to_json(),
                                     settings_.connect_timeout_ms, settings_.status_timeout_ms);
    PaymentResponse r;
    if (x.stage != ExchangeStage::answered) {
        r = with_outcome(PaymentOutcome::uncertain, "cannot ask the card terminal (" + x.error + ")");
    } else if (auto a = parse_answer(x.line); !a) {
        r = with_outcome(PaymentOutcome::uncertain, a.error().message);
    } else if (a->key != idempotency_key || a->type != "status") {
        r = with_outcome(PaymentOutcome::uncertain, "the card terminal answered another request");
    } else if (a->result == TerminalResult::unknown) {
        r = with_outcome(PaymentOutcome::failed, "the card terminal never saw this key");
    } else if (a->result == TerminalResult::in_progress) {
        r = with_outcome(PaymentOutcome::uncertain, "the card terminal is still working on it");
    } else if (a->result == TerminalResult::error || !is_transaction(a->of)) {
        r = with_outcome(PaymentOutcome::uncertain, "the card terminal could not say (" + a->error_code + " " +
                                                        a->message + ")");
    } else {
        r = from_answer(*a, context);
    }
    r.message = scrub_terminal_text(r.message);  // errors may quote the terminal's words
    log(r.outcome == PaymentOutcome::uncertain ? sdk::LogLevel::warn : sdk::LogLevel::info,
        context + ": " + outcome_text(r.outcome) + (r.reference.empty() ? "" : " ref " + r.reference) + " — " +
            r.message);
    return r;
}

sdk::Result<Value> CardMethod::terminal_totals(bool close_batch) {
    if (!started()) return sdk::Error{"unavailable", "payment_card is not started"};
    TerminalRequest t;
    t.op = Operation::totals;
    t.terminal_id = settings_.terminal_id;
    t.close_batch = close_batch;
    const Exchange x = exchange_line(settings_.host, settings_.port, to_value(t).to_json(),
                                     settings_.connect_timeout_ms, settings_.status_timeout_ms);
    if (x.stage != ExchangeStage::answered)
        return sdk::Error{"unavailable", "cannot ask the card terminal for its totals (" + x.error + ")"};
    auto a = parse_answer(x.line);
    if (!a) return sdk::Error{"unavailable", scrub_terminal_text(a.error().message)};
    if (a->result != TerminalResult::ok || !a->totals.is_map())
        return sdk::Error{"unavailable", scrub_terminal_text("the card terminal did not give its totals (" +
                                                             a->error_code + " " + a->message + ")")};
    Value out = a->totals;
    out.set("method_id", settings_.method_id);
    if (!settings_.terminal_id.empty()) out.set("terminal_id", settings_.terminal_id);
    return out;
}

}  // namespace till::payment_card
