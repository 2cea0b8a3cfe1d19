#include "domain/orders/order_state.hpp"

#include <string>

#include "domain/common/http_errors.hpp"

namespace till::domain::orders {

const char* step_name(Step step) noexcept {
    switch (step) {
        case Step::add_line: return "add lines";
        case Step::change_line: return "change lines";
        case Step::delete_line: return "remove lines";
        case Step::void_line: return "void lines";
        case Step::change_order: return "change the order";
        case Step::submit: return "submit";
        case Step::settle: return "settle it";
        case Step::close: return "close it";
        case Step::void_order: return "void it";
        case Step::take_return: return "return goods against it";
        case Step::record_refund: return "record a refund against it";
    }
    return "do that";
}

namespace {
bool allowed(State s, Step step) {
    switch (step) {
        case Step::add_line:
        case Step::change_line:
        case Step::delete_line:
        case Step::change_order: return s == State::open;
        case Step::void_line: return s == State::submitted;
        case Step::submit: return s == State::open;
        case Step::settle: return s == State::open || s == State::submitted;
        case Step::close: return s == State::paid;
        case Step::void_order: return s == State::open || s == State::submitted;
        case Step::take_return:
        case Step::record_refund:
            return s == State::paid || s == State::closed || s == State::partially_refunded;
    }
    return false;
}

std::string hint(State s, Step step) {
    if (s == State::open && step == Step::void_line) return " (an open order's lines are removed, not voided)";
    if (s == State::open && step == Step::close) return " (it is not paid yet)";
    if (s == State::submitted && (step == Step::add_line || step == Step::change_line || step == Step::change_order))
        return " (it was submitted)";
    if (s == State::closed) return " (closed orders cannot change)";
    return "";
}
}  // namespace

sdk::Status check_step(State state, Step step) {
    if (allowed(state, step)) return {};
    return sdk::Error{std::string(error_code::invalid_state),
                      std::string("order is ") + state_name(state) + "; cannot " + step_name(step) + hint(state, step)};
}

State next_state(State state, Step step, bool fully_refunded) {
    switch (step) {
        case Step::submit: return State::submitted;
        case Step::settle: return State::paid;
        case Step::close: return State::closed;
        case Step::void_order: return State::voided;
        case Step::record_refund: return fully_refunded ? State::refunded : State::partially_refunded;
        default: return state;
    }
}

}  // namespace till::domain::orders
