// The `retail` order type ("Retail sale"): a scan-driven sale that may be
// returned or exchanged. It refuses to submit an empty sale and, when
// configured, a return without a customer.
#pragma once

#include "till/sdk/order_type.hpp"

namespace till::order_retail {

struct RetailOptions {
    bool require_customer_for_returns = false;
};

class RetailOrderType final : public sdk::OrderType {
public:
    explicit RetailOrderType(RetailOptions options) : options_(options) {}

    std::string id() const override { return "retail"; }
    std::string display_name() const override { return "Retail sale"; }
    std::vector<sdk::OrderFieldSpec> fields() const override;
    sdk::OrderTypeCapabilities capabilities() const override { return {true, true}; }
    sdk::Status validate_fields(const sdk::Value& fields) const override;
    sdk::HookResult on_submitted(const sdk::Order& order) override;

private:
    RetailOptions options_;  // immutable after construction: safe from any thread
};

}  // namespace till::order_retail
