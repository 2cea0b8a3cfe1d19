// Queue numbers of counter orders: 1, 2, 3, ... per business day (restarting
// at first_number each day, wrapping after max_number), kept in the plugin's
// tables so a restart continues the day's sequence.
//
//   order_quickservice_days   business_day → numbers issued that day
//   order_quickservice_queue  one row per numbered order
//
// Thread-safety: assign() may run on several threads (and nodes' connections)
// at once; the day row serialises them (the UPDATE locks it on PostgreSQL;
// SQLite write transactions are serialised), so no number is given twice
// before the day wraps. An order keeps the number it was first given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::order_quickservice {

struct QueueSettings {
    int day_starts_at_hour = 4;     ///< 0..23, local time
    std::int64_t first_number = 1;
    std::int64_t max_number = 999;  ///< >= first_number
};

struct QueueEntry {
    std::int64_t queue_number = 0;
    std::string order_id;
    std::string business_day;       ///< "YYYY-MM-DD"
    std::string customer_name;
    bool eat_in = false;
    std::int64_t assigned_utc_ms = 0;
};

/// The plugin's migrations (SQLite and PostgreSQL).
std::vector<sdk::Migration> queue_migrations();

class QueueNumbers {
public:
    explicit QueueNumbers(QueueSettings settings) : settings_(settings) {}

    /// The order's number for the business day of `now_utc_ms`: a new one,
    /// or the one it already has.
    sdk::Result<QueueEntry> assign(sdk::Storage& storage, std::int64_t now_utc_ms, const std::string& order_id,
                                   const std::string& customer_name, bool eat_in) const;
    /// The numbered orders of `business_day`, in the order numbers were given.
    sdk::Result<std::vector<QueueEntry>> day(sdk::SqlExecutor& storage, const std::string& business_day) const;
    /// The business day of `now_utc_ms`.
    std::string day_of(std::int64_t now_utc_ms) const;

private:
    sdk::Result<std::vector<QueueEntry>> find_order(sdk::SqlExecutor& tx, const std::string& order_id) const;
    QueueSettings settings_;
};

}  // namespace till::order_quickservice
