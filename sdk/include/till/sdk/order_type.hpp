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

/// What an order type allows beyond a plain sale.
struct OrderTypeCapabilities {
    bool returns = false;    ///< returns may reference this type's sales
    bool exchanges = false;  ///< a return may also carry new sale lines
};

/// A hook's answer: accept or refuse the step (status), and optionally set
/// some of the order's fields (a map merged into Order::fields; null = none),
/// e.g. a queue number given when the order is submitted.
struct HookResult {
    Status status;
    Value set_fields;
    static HookResult accept() { return {}; }
    static HookResult refuse(std::string message) {
        return HookResult{Status::failure("invalid_state", std::move(message)), Value()};
    }
};

/// Hooks are called outside the kernel's database transaction, so a hook
/// may use Host::storage() for its own tables. A refusal from on_line_added
/// or on_submitted stops that step (the API answers 409 with the message);
/// on_paid runs after payment is recorded and cannot undo it: a refusal is
/// logged, its set_fields are still applied.
class OrderType {
public:
    virtual ~OrderType();
    /// Stable id, unique in the node, e.g. "retail" or "dine_in".
    virtual std::string id() const = 0;
    /// Name shown to the cashier.
    virtual std::string display_name() const = 0;
    virtual std::vector<OrderFieldSpec> fields() const = 0;
    virtual OrderTypeCapabilities capabilities() const;
    /// Checks an order's fields when it is opened or its fields change.
    virtual Status validate_fields(const Value& fields) const = 0;
    /// Hooks; the defaults accept and set nothing.
    virtual HookResult on_line_added(const Order& order, const Line& line);
    virtual HookResult on_submitted(const Order& order);
    virtual HookResult on_paid(const Order& order);
};

}  // namespace till::sdk
