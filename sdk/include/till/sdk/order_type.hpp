// Till SDK — order types (retail sale, dine-in, takeaway, delivery, ...).
//
// An order type gives an order its own fields (table number, delivery
// address), validates them, and reacts to the order's life. The kernel's
// order engine owns the order itself; an order type never changes lines or
// totals directly.
//
// Threading: methods may be called from several HTTP worker threads at once
// for different orders. Errors: return a failed Status (code
// "invalid_argument" for bad fields, so the API answers 422 naming them); do
// not throw — the kernel catches, logs with the plugin id, and treats a throw
// as a failure.
#pragma once

#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/types.hpp"
#include "till/sdk/value.hpp"

namespace till::sdk {

/// Describes one field an order type keeps on its orders.
struct OrderFieldSpec {
    std::string name;         ///< key in Order::fields, e.g. "table"
    Value::Type type = Value::Type::string;
    bool required = false;
    std::string description;
};

class OrderType {
public:
    virtual ~OrderType();
    /// Stable id, unique in the node, e.g. "retail" or "dine_in".
    virtual std::string id() const = 0;
    /// Name shown to the cashier.
    virtual std::string display_name() const = 0;
    virtual std::vector<OrderFieldSpec> fields() const = 0;
    /// Checks an order's fields when it is opened or its fields change.
    virtual Status validate_fields(const Value& fields) const = 0;
    /// Hooks; the defaults accept. A failed Status refuses the step with its
    /// message (e.g. "a table number is required before submitting").
    virtual Status on_line_added(const Order& order, const Line& line);
    virtual Status on_submitted(const Order& order);
    virtual Status on_paid(const Order& order);
};

}  // namespace till::sdk
