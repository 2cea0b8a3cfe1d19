// The card tender: each sale, refund and void is one request to the card
// terminal (PROTOCOL.md), under the kernel's idempotency key; the terminal
// keeps outcomes by key, so the same key never charges twice.
//
// Mapping what happened to a PaymentOutcome (the kernel's contract):
//   - no connection                         → failed (the terminal never saw it)
//   - sent, but no answer / a broken answer → uncertain (the kernel asks
//     query_status(key) before any retry)
//   - the terminal's answer                 → approved / partially_approved /
//     declined; `error` (refused before any money moved) → failed
// query_status: `unknown` → failed (never seen: the kernel may send it
// again); a terminal that cannot be asked → uncertain, never failed.
//
// Only the masked PAN, brand, auth code and the terminal's reference are
// returned or logged (pan_mask.hpp masks them again).
//
// Thread-safe: calls for different payments may run at once, each on its own
// connection.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <till/sdk/logger.hpp>
#include <till/sdk/payment.hpp>

#include "card_protocol.hpp"
#include "line_client.hpp"

namespace till::payment_card {

struct CardSettings {
    std::string method_id = "card";
    std::string display_name = "Card";
    std::string host = "127.0.0.1";
    int port = 0;
    std::string terminal_id;
    std::int64_t connect_timeout_ms = 3000;
    std::int64_t response_timeout_ms = 90000;
    std::int64_t status_timeout_ms = 5000;
};

/// The settings from the plugin's validated config; errors name the key.
sdk::Result<CardSettings> card_settings(const sdk::Value& config);

class CardMethod final : public sdk::PaymentMethod {
public:
    explicit CardMethod(CardSettings settings) : settings_(std::move(settings)) {}

    /// From on_start until detach() requests reach the terminal; outside
    /// that window each one fails ("not started"), and query_status answers
    /// uncertain. `logger` must stay valid until detach().
    void attach(sdk::Logger& logger);
    void detach();

    std::string id() const override { return settings_.method_id; }
    std::string display_name() const override { return settings_.display_name; }
    sdk::PaymentCapabilities capabilities() const override;
    sdk::PaymentResponse sale(const sdk::PaymentRequest& request) override;
    sdk::PaymentResponse refund(const sdk::PaymentRequest& request) override;
    sdk::PaymentResponse void_payment(const sdk::PaymentRequest& request) override;
    sdk::PaymentResponse query_status(const std::string& idempotency_key) override;

    /// The terminal's totals of its current batch (end of day); with
    /// `close_batch` the terminal then starts a new batch. Error "unavailable"
    /// when the terminal cannot be asked.
    sdk::Result<sdk::Value> terminal_totals(bool close_batch);

    const CardSettings& settings() const { return settings_; }

private:
    sdk::PaymentResponse transact(Operation op, const sdk::PaymentRequest& request);
    bool started() const;
    void log(sdk::LogLevel level, const std::string& message) const;
    /// The answer as a PaymentResponse, with the card data masked again.
    sdk::PaymentResponse from_answer(const TerminalAnswer& answer, const std::string& context) const;

    const CardSettings settings_;
    mutable std::mutex mutex_;
    sdk::Logger* logger_ = nullptr;
};

}  // namespace till::payment_card
