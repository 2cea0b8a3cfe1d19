#include "sim_terminal.hpp"

#include <chrono>
#include <cstdio>

namespace till::payment_card::sim {

using sdk::Value;

namespace {

// The card every approving test card "presents". Only its masked form ever
// leaves the terminal, except with the test card "leak" (a misbehaving
// terminal, to prove that Till masks it again).
constexpr const char* kTestPan = "4242424242424242";
constexpr const char* kMaskedPan = "************4242";
constexpr const char* kBrand = "VISA";

std::string fingerprint(const TerminalRequest& r) {
    return std::string(operation_name(r.op)) + "|" + std::to_string(r.amount_minor) + "|" +
           std::to_string(r.tip_minor) + "|" + r.currency + "|" + r.original_reference;
}

/// The test card: the request's `card`, else by the amount's last two digits.
std::string card_for(const TerminalRequest& r) {
    if (!r.test_card.empty()) return r.test_card;
    if (r.op == Operation::void_payment) return "approve";
    switch (r.amount_minor % 100) {
        case 1: return "decline";
        case 2: return "timeout";
        case 3: return "disconnect";
        case 4: return r.op == Operation::sale ? "partial" : "approve";
        case 5: return "leak";
        default: return "approve";
    }
}

TerminalAnswer base_answer(const TerminalRequest& r) {
    TerminalAnswer a;
    a.type = operation_name(r.op);
    a.key = r.key;
    a.amount_minor = r.amount_minor;
    a.currency = r.currency;
    a.original_reference = r.original_reference;
    return a;
}

std::string error_line(const std::string& type, const std::string& key, const std::string& code,
                       const std::string& message) {
    TerminalAnswer a;
    a.type = type;
    a.key = key;
    a.result = TerminalResult::error;
    a.error_code = code;
    a.message = message;
    return to_value(a).to_json();
}

Decision answer(std::string line, std::string summary) {
    Decision d;
    d.answer_line = std::move(line);
    d.summary = std::move(summary);
    return d;
}

}  // namespace

std::string Terminal::next_reference() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "SIM-%06lld", static_cast<long long>(next_seq_++));
    return buf;
}

Decision Terminal::handle(std::string_view line) {
    auto parsed = Value::parse_json(line);
    if (!parsed) return answer(error_line("error", "", "bad_request", "not JSON: " + parsed.error().message), "bad JSON");
    const Value& o = *parsed;
    const std::string type = o["type"].as_string("");
    std::lock_guard lock(mutex_);
    // Test hooks (not part of a real terminal's protocol).
    if (type == "test_hang") {
        hang_next_ = o["count"].as_int(1);
        TerminalAnswer a;
        a.type = type;
        a.result = TerminalResult::ok;
        a.message = "the next " + std::to_string(hang_next_) + " transactions hang";
        return answer(to_value(a).to_json(), "test_hang " + std::to_string(hang_next_));
    }
    if (type == "test_release") {
        ++release_generation_;
        released_.notify_all();
        TerminalAnswer a;
        a.type = type;
        a.result = TerminalResult::ok;
        return answer(to_value(a).to_json(), "test_release");
    }
    auto request = parse_request(o);
    if (!request) return answer(error_line(type.empty() ? "error" : type, o["key"].as_string(""), "bad_request",
                                           request.error().message),
                                "refused: " + request.error().message);
    return decide(*request);
}

Decision Terminal::decide(const TerminalRequest& r) {
    const std::string type = operation_name(r.op);
    if (r.op == Operation::totals) return totals(r);
    if (auto known = by_key_.find(r.key); known != by_key_.end()) {
        Value stored = known->second.answer;
        if (r.op == Operation::status) {
            stored.set("type", "status");
            stored.set("of", known->second.op);
            return answer(stored.to_json(), "status " + r.key + ": " + stored["result"].as_string());
        }
        if (known->second.fingerprint != fingerprint(r))
            return answer(error_line(type, r.key, "key_conflict",
                                     "key " + r.key + " was used for another request (" + known->second.op + ")"),
                          type + " " + r.key + ": key conflict");
        stored.set("replayed", true);
        return answer(stored.to_json(), type + " " + r.key + ": replayed " + stored["result"].as_string());
    }
    if (in_flight_.count(r.key)) {
        TerminalAnswer a;
        a.type = type;
        a.key = r.key;
        a.result = TerminalResult::in_progress;
        a.message = "the customer is still at the terminal";
        return answer(to_value(a).to_json(), type + " " + r.key + ": in progress");
    }
    if (r.op == Operation::status) {
        TerminalAnswer a;
        a.type = type;
        a.key = r.key;
        a.result = TerminalResult::unknown;
        a.message = "this terminal never saw key " + r.key;
        return answer(to_value(a).to_json(), "status " + r.key + ": unknown");
    }
    if (hang_next_ > 0) {
        --hang_next_;
        in_flight_.insert(r.key);
        Decision d;
        d.delivery = Delivery::hang;
        d.request = r;
        d.release_generation = release_generation_;
        d.summary = type + " " + r.key + ": hanging (test hook)";
        return d;
    }
    return transaction(r, card_for(r));
}

Decision Terminal::finish_hung(const TerminalRequest& r) {
    std::lock_guard lock(mutex_);
    in_flight_.erase(r.key);
    return transaction(r, card_for(r));
}

void Terminal::abandon_hung(const std::string& key) {
    std::lock_guard lock(mutex_);
    in_flight_.erase(key);
}

bool Terminal::wait_release(std::uint64_t generation, int timeout_ms) {
    std::unique_lock lock(mutex_);
    return released_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                              [&] { return release_generation_ > generation; });
}

Decision Terminal::transaction(const TerminalRequest& r, const std::string& card) {
    const std::string type = operation_name(r.op);
    TerminalAnswer a = base_answer(r);
    Delivery delivery = Delivery::answer;
    if (card == "timeout") delivery = Delivery::hold_silently;
    if (card == "disconnect") delivery = Delivery::close_silently;
    if (!currency_.empty() && r.currency != currency_ && r.op != Operation::status)
        return answer(error_line(type, r.key, "bad_request", "$.currency: this terminal works in " + currency_),
                      type + " " + r.key + ": wrong currency");

    if (r.op == Operation::void_payment || (r.op == Operation::refund && !r.original_reference.empty())) {
        auto sale = sales_.find(r.original_reference);
        if (sale == sales_.end())
            return answer(error_line(type, r.key, "unknown_reference", "no sale with reference " + r.original_reference),
                          type + " " + r.key + ": unknown reference");
        Sale& s = sale->second;
        std::string refused;
        if (s.voided) refused = "the sale " + r.original_reference + " was voided";
        if (r.op == Operation::void_payment && refused.empty() && s.refunded_minor > 0)
            refused = "the sale " + r.original_reference + " has refunds; refund the rest instead";
        if (r.op == Operation::void_payment && refused.empty() && r.amount_minor != s.approved_minor)
            return answer(error_line(type, r.key, "bad_request",
                                     "$.amount_minor: the sale " + r.original_reference + " was approved for " +
                                         std::to_string(s.approved_minor)),
                          type + " " + r.key + ": wrong void amount");
        if (r.op == Operation::refund && refused.empty() && s.refunded_minor + r.amount_minor > s.approved_minor + s.tip_minor)
            refused = "the refund exceeds what is left of the sale " + r.original_reference + " (" +
                      std::to_string(s.approved_minor + s.tip_minor - s.refunded_minor) + ")";
        if (refused.empty() && card == "decline") refused = "declined by the card issuer (test card)";
        if (!refused.empty()) {
            a.result = TerminalResult::declined;
            a.message = refused;
            return store(r, a, Delivery::answer);
        }
        a.result = TerminalResult::approved;
        a.approved_minor = r.amount_minor;
        a.reference = next_reference();
        a.masked_pan = kMaskedPan;
        a.brand = kBrand;
        if (r.op == Operation::void_payment) {
            s.voided = true;
            a.tip_minor = std::min(r.tip_minor, s.tip_minor);
            ++totals_.voids_count;
            totals_.voids_minor += s.approved_minor + s.tip_minor;
            a.message = "voided";
        } else {
            s.refunded_minor += r.amount_minor;
            ++totals_.refunds_count;
            totals_.refunds_minor += r.amount_minor;
            a.message = "refunded";
        }
        if (card == "leak") {
            a.masked_pan = kTestPan;
            a.message += " card " + std::string(kTestPan);
        }
        return store(r, a, delivery);
    }

    if (card == "decline") {
        a.result = TerminalResult::declined;
        a.masked_pan = kMaskedPan;
        a.brand = kBrand;
        a.message = "declined by the card issuer (test card)";
        return store(r, a, Delivery::answer);
    }
    a.reference = next_reference();
    a.masked_pan = card == "leak" ? kTestPan : kMaskedPan;
    a.brand = kBrand;
    a.auth_code = "A" + a.reference.substr(a.reference.size() - 5);
    if (card == "partial" && r.op == Operation::sale) {
        a.result = TerminalResult::partially_approved;
        a.approved_minor = std::max<std::int64_t>(1, r.amount_minor / 2);
        a.tip_minor = 0;
        a.message = "partially approved: the card covers " + std::to_string(a.approved_minor);
    } else {
        a.result = TerminalResult::approved;
        a.approved_minor = r.amount_minor;
        a.tip_minor = r.tip_minor;
        a.message = card == "leak" ? "approved card " + std::string(kTestPan) : "approved";
    }
    if (r.op == Operation::sale) {
        sales_[a.reference] = Sale{a.approved_minor, a.tip_minor, 0, r.currency, false};
        ++totals_.sales_count;
        totals_.sales_minor += a.approved_minor;
        totals_.tips_minor += a.tip_minor;
    } else {
        ++totals_.refunds_count;  // a refund without a reference: to the card presented
        totals_.refunds_minor += a.approved_minor;
    }
    return store(r, a, delivery);
}

Decision Terminal::store(const TerminalRequest& r, TerminalAnswer a, Delivery delivery) {
    if (currency_.empty()) currency_ = r.currency;
    const Value stored = to_value(a);
    by_key_[r.key] = Txn{operation_name(r.op), fingerprint(r), stored};
    Decision d;
    d.delivery = delivery;
    if (auto s = save(); !s.ok()) {
        // Not saved: answering would promise what a restart forgets.
        d.delivery = Delivery::close_silently;
        d.summary = "cannot save the state: " + s.message();
        return d;
    }
    d.answer_line = stored.to_json();
    d.summary = std::string(operation_name(r.op)) + " " + r.key + " " + std::to_string(r.amount_minor) +
                (r.tip_minor ? "+" + std::to_string(r.tip_minor) : "") + " " + r.currency + ": " +
                result_name(a.result) + (a.reference.empty() ? "" : " " + a.reference) +
                (delivery == Delivery::hold_silently    ? " (answer withheld: timeout card)"
                 : delivery == Delivery::close_silently ? " (connection dropped: disconnect card)"
                                                        : "");
    return d;
}

Decision Terminal::totals(const TerminalRequest& r) {
    Value t = Value::map();
    t.set("batch", batch_);
    t.set("currency", currency_);
    t.set("sales_count", totals_.sales_count);
    t.set("sales_minor", totals_.sales_minor);
    t.set("tips_minor", totals_.tips_minor);
    t.set("refunds_count", totals_.refunds_count);
    t.set("refunds_minor", totals_.refunds_minor);
    t.set("voids_count", totals_.voids_count);
    t.set("voids_minor", totals_.voids_minor);
    t.set("net_minor", totals_.sales_minor + totals_.tips_minor - totals_.refunds_minor - totals_.voids_minor);
    t.set("closed", r.close_batch);
    if (r.close_batch) {
        ++batch_;
        totals_ = Totals{};
        if (auto s = save(); !s.ok())
            return answer(error_line("totals", "", "storage", "cannot save the state: " + s.message()), "totals: " + s.message());
    }
    TerminalAnswer a;
    a.type = "totals";
    a.result = TerminalResult::ok;
    a.totals = t;
    return answer(to_value(a).to_json(), std::string("totals") + (r.close_batch ? " (batch closed)" : ""));
}

}  // namespace till::payment_card::sim
