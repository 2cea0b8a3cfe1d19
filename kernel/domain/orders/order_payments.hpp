// The seam through which the orders module reads an order's payments when it
// records the order for HQ (a `sale`, `refund` or `void` change carries the
// order with its payments, docs/sync.md). Implemented by the payments module
// (PaymentService); the node wires it with OrderService::use_payments().
//
// Header-only on purpose: the payments library includes it without linking
// the orders library. (It belongs with the other seams in
// domain/common/settlement.hpp; it lives here until that header is opened.)
#pragma once

#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain {

class OrderPaymentsSource {
public:
    virtual ~OrderPaymentsSource() = default;
    /// Every payment attempt on `order_id`, oldest first, each as
    /// GET /api/v1/orders/{id}/payments shows its items; read inside the
    /// caller's transaction `tx` (so the payment that settles the order is
    /// included). A list Value; an error only on a storage fault.
    virtual sdk::Result<sdk::Value> order_payments(sdk::SqlExecutor& tx, const std::string& order_id) = 0;
};

}  // namespace till::domain
