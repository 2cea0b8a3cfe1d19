// Orders and local times for the order_quickservice tests.
#pragma once

#include <ctime>
#include <string>

#include "till/sdk/types.hpp"

namespace till::test {

/// A submitted counter order with one line.
inline sdk::Order counter_order(const std::string& order_id, sdk::Value fields = sdk::Value::map()) {
    sdk::Order o;
    o.order_id = order_id;
    o.order_type_id = "quickservice";
    o.state = sdk::OrderState::open;
    o.currency = "EUR";
    sdk::Line line;
    line.line_id = order_id + "-1";
    line.sku = "LATTE";
    line.qty_milli = 1000;
    o.lines.push_back(line);
    o.fields = std::move(fields);
    return o;
}

/// UTC milliseconds of a local wall-clock time (the process's TZ).
inline std::int64_t local_ms(int year, int month, int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm)) * 1000;
}

}  // namespace till::test
