// Till SDK — value types shared by the capability interfaces.
//
// Units are in the names: `_minor` is an integer amount in the currency's
// minor unit (cents), `_bp` basis points (1% = 100 bp), `_milli` thousandths
// (1.250 kg = 1250), `_ms` milliseconds. There are no floating-point amounts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::sdk {

/// An amount of money: integer minor units and an ISO 4217 currency code.
struct Money {
    std::int64_t amount_minor = 0;
    std::string currency;  ///< "EUR", "USD", ...
    bool operator==(const Money&) const = default;
};

struct LineModifier {
    std::string modifier_id;
    std::string name;
    std::int64_t price_delta_minor = 0;
};

/// One line of an order, as order types and reports see it.
struct Line {
    std::string line_id;
    std::string sku;
    std::string name;
    std::string department_id;
    std::int64_t qty_milli = 0;           ///< 1000 = one unit; negative on a return line
    std::int64_t unit_price_minor = 0;
    std::int64_t discount_minor = 0;
    std::int64_t tax_minor = 0;
    std::int64_t total_minor = 0;         ///< after discounts, per the deployment's tax mode
    std::vector<LineModifier> modifiers;
    std::string note;
};

enum class OrderState { open, submitted, paid, closed, voided, refunded, partially_refunded };

struct Payment {
    std::string payment_id;
    std::string method_id;        ///< the payment method plugin's method id
    std::string idempotency_key;
    Money amount;
    std::string reference;        ///< the provider's reference (never a card number)
};

/// An order, read-only for plugins.
struct Order {
    std::string order_id;         ///< UUIDv7 text
    std::string order_type_id;    ///< the OrderType::id() that owns it
    OrderState state = OrderState::open;
    std::string currency;
    std::vector<Line> lines;
    std::vector<Payment> payments;
    std::int64_t subtotal_minor = 0;      ///< sum of line amounts before discounts
    std::int64_t discount_minor = 0;      ///< line and order discounts together
    std::int64_t tax_minor = 0;
    std::int64_t total_minor = 0;
    std::string customer_id;      ///< empty when none
    Value fields;                 ///< the order type's own fields (a map)
    std::int64_t opened_utc_ms = 0;
    std::string original_order_id;  ///< a return or exchange: the sale it refers to
    std::int64_t version = 0;       ///< grows by one with every change
};

}  // namespace till::sdk
