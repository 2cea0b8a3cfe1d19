// The business day an instant belongs to: the local calendar date, where a
// day starts at `day_starts_at_hour` local time (a café open past midnight
// keeps its 00:30 orders in the evening's day when the day starts at 4).
#pragma once

#include <cstdint>
#include <string>

namespace till::order_quickservice {

/// "YYYY-MM-DD" of the business day holding `utc_ms`, in the process's local
/// time zone (TZ). `day_starts_at_hour` is 0..23.
std::string business_day(std::int64_t utc_ms, int day_starts_at_hour);

/// True when `text` is a "YYYY-MM-DD" calendar date.
bool is_day_text(const std::string& text);

}  // namespace till::order_quickservice
