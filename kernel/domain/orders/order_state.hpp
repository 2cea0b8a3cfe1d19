// The order state machine, in one place: which step each state allows, and
// the message a refused step gets ("order is paid; cannot add lines").
//
//   open ──submit──▶ submitted ──settle──▶ paid ──close──▶ closed
//     │  ╲──────────settle (pay without submit)──▶ │           │
//     ├──void──▶ voided ◀──void── submitted        │           │
//     │                                            ▼           ▼
//     │                     a settled return: partially_refunded ─▶ refunded
//
// Every refused step is error "invalid_state" (HTTP 409).
#pragma once

#include "domain/orders/order_model.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::orders {

/// What a request or the settlement wants to do to an order.
enum class Step {
    add_line,        ///< add a line (sale line, or an exchange line on a return)
    change_line,     ///< change a line's quantity, note, discount or price
    delete_line,     ///< remove a line before submit
    void_line,       ///< void a line after submit
    change_order,    ///< customer, order-type fields, order discount
    submit,
    settle,          ///< payments: fully paid (or paid out)
    close,           ///< hand over a paid order
    void_order,
    take_return,     ///< a return order is opened against this sale
    record_refund,   ///< a settled return marks this sale partially_refunded / refunded
};

inline constexpr State kAllStates[] = {State::open,   State::submitted,          State::paid,    State::closed,
                                       State::voided, State::partially_refunded, State::refunded};
inline constexpr Step kAllSteps[] = {Step::add_line,     Step::change_line, Step::delete_line, Step::void_line,
                                     Step::change_order, Step::submit,      Step::settle,      Step::close,
                                     Step::void_order,   Step::take_return, Step::record_refund};

const char* step_name(Step step) noexcept;

/// Whether `step` is allowed in `state`. Success, or "invalid_state" with
/// "order is <state>; cannot <what the step does>".
sdk::Status check_step(State state, Step step);

/// Where `step` takes an order in `state` (only meaningful when allowed;
/// steps that do not change the state return `state`). For settle, whether
/// the order is closed at once depends on its order type: see
/// OrderService::settle. For record_refund, `fully` says whether every sold
/// unit has now been returned.
State next_state(State state, Step step, bool fully_refunded = false);

}  // namespace till::domain::orders
