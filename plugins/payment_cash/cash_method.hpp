// The cash tender. Cash has no provider: a sale, refund or void is approved
// for the amount asked (the cashier takes or hands over the notes), and each
// request key is remembered (CashLedger) so a repeated key gets the same
// answer and query_status() can tell what happened to a key. After a new
// approved sale or refund the cash drawer is asked to open (DrawerOpener).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <till/sdk/clock.hpp>
#include <till/sdk/payment.hpp>

#include "cash_ledger.hpp"
#include "drawer_opener.hpp"

namespace till::payment_cash {

class CashMethod final : public till::sdk::PaymentMethod {
public:
    explicit CashMethod(std::string display_name) : display_name_(std::move(display_name)) {}

    /// Called from on_start: from then on requests are answered. Before,
    /// and after detach(), every request fails ("not started").
    void attach(till::sdk::Storage& storage, const till::sdk::Clock& clock, std::shared_ptr<DrawerOpener> drawer);
    void detach();

    std::string id() const override { return "cash"; }
    std::string display_name() const override { return display_name_; }
    till::sdk::PaymentCapabilities capabilities() const override;
    till::sdk::PaymentResponse sale(const till::sdk::PaymentRequest& request) override;
    till::sdk::PaymentResponse refund(const till::sdk::PaymentRequest& request) override;
    till::sdk::PaymentResponse void_payment(const till::sdk::PaymentRequest& request) override;
    till::sdk::PaymentResponse query_status(const std::string& idempotency_key) override;

private:
    till::sdk::PaymentResponse answer(const std::string& operation, const till::sdk::PaymentRequest& request);

    const std::string display_name_;
    std::mutex mutex_;
    std::shared_ptr<CashLedger> ledger_;
    const till::sdk::Clock* clock_ = nullptr;
    std::shared_ptr<DrawerOpener> drawer_;
};

}  // namespace till::payment_cash
