// The order state machine as a table: every state × every step, allowed or
// refused with an "invalid_state" message naming the state and the step.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "domain/orders/order_state.hpp"

using namespace till::domain::orders;

namespace {
// The steps each state allows; everything else is refused.
const std::map<State, std::set<Step>>& allowed_table() {
    static const std::map<State, std::set<Step>> table = {
        {State::open,
         {Step::add_line, Step::change_line, Step::delete_line, Step::change_order, Step::submit, Step::settle,
          Step::void_order}},
        {State::submitted, {Step::void_line, Step::settle, Step::void_order}},
        {State::paid, {Step::close, Step::take_return, Step::record_refund}},
        {State::closed, {Step::take_return, Step::record_refund}},
        {State::voided, {}},
        {State::partially_refunded, {Step::take_return, Step::record_refund}},
        {State::refunded, {}},
    };
    return table;
}
}  // namespace

TEST_CASE("every state allows exactly its steps and refuses the others with invalid_state", "[orders][state]") {
    int checked = 0;
    for (State state : kAllStates) {
        for (Step step : kAllSteps) {
            const bool expect = allowed_table().at(state).count(step) > 0;
            auto s = check_step(state, step);
            INFO("state " << state_name(state) << ", step " << step_name(step));
            CHECK(s.ok() == expect);
            if (!s.ok()) {
                CHECK(s.error().code == "invalid_state");
                CHECK(s.message().rfind(std::string("order is ") + state_name(state) + "; cannot " + step_name(step),
                                        0) == 0);
            }
            ++checked;
        }
    }
    CHECK(checked == 7 * 11);
}

TEST_CASE("refusals read like a cashier would say them", "[orders][state]") {
    CHECK(check_step(State::paid, Step::add_line).message() == "order is paid; cannot add lines");
    CHECK(check_step(State::closed, Step::change_line).message() ==
          "order is closed; cannot change lines (closed orders cannot change)");
    CHECK(check_step(State::open, Step::close).message() == "order is open; cannot close it (it is not paid yet)");
    CHECK(check_step(State::voided, Step::settle).message() == "order is voided; cannot settle it");
}

TEST_CASE("closed orders are immutable: no step changes their lines, fields or state except a refund",
          "[orders][state]") {
    for (Step step : kAllSteps) {
        if (step == Step::take_return || step == Step::record_refund) continue;
        CHECK_FALSE(check_step(State::closed, step).ok());
    }
}

TEST_CASE("next states follow the lifecycle", "[orders][state]") {
    CHECK(next_state(State::open, Step::submit) == State::submitted);
    CHECK(next_state(State::open, Step::settle) == State::paid);
    CHECK(next_state(State::submitted, Step::settle) == State::paid);
    CHECK(next_state(State::paid, Step::close) == State::closed);
    CHECK(next_state(State::submitted, Step::void_order) == State::voided);
    CHECK(next_state(State::closed, Step::record_refund, false) == State::partially_refunded);
    CHECK(next_state(State::partially_refunded, Step::record_refund, true) == State::refunded);
    CHECK(next_state(State::open, Step::add_line) == State::open);
}

TEST_CASE("state names round-trip", "[orders][state]") {
    for (State s : kAllStates) CHECK(state_from_name(state_name(s)) == s);
    CHECK_FALSE(state_from_name("paid ").has_value());
}
