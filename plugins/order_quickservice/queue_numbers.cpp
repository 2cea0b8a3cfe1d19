#include "queue_numbers.hpp"

#include "business_day.hpp"

namespace till::order_quickservice {
namespace {

using sdk::Value;

constexpr const char* kColumns = "queue_number, order_id, business_day, customer_name, eat_in, assigned_utc_ms";
constexpr int kAttempts = 3;

QueueEntry entry_from(const std::vector<Value>& row) {
    QueueEntry e;
    e.queue_number = row.at(0).as_int();
    e.order_id = row.at(1).as_string();
    e.business_day = row.at(2).as_string();
    e.customer_name = row.at(3).as_string();
    e.eat_in = row.at(4).as_int() != 0;
    e.assigned_utc_ms = row.at(5).as_int();
    return e;
}

}  // namespace

std::vector<sdk::Migration> queue_migrations() {
    return {
        {1, "queue numbers per business day",
         "CREATE TABLE order_quickservice_days ("
         "  business_day TEXT PRIMARY KEY,"
         "  issued BIGINT NOT NULL);"
         "CREATE TABLE order_quickservice_queue ("
         "  order_id TEXT PRIMARY KEY,"
         "  business_day TEXT NOT NULL,"
         "  seq BIGINT NOT NULL,"
         "  queue_number BIGINT NOT NULL,"
         "  customer_name TEXT NOT NULL DEFAULT '',"
         "  eat_in BIGINT NOT NULL DEFAULT 0,"
         "  assigned_utc_ms BIGINT NOT NULL,"
         "  UNIQUE (business_day, seq))",
         ""},
    };
}

std::string QueueNumbers::day_of(std::int64_t now_utc_ms) const {
    return business_day(now_utc_ms, settings_.day_starts_at_hour);
}

sdk::Result<std::vector<QueueEntry>> QueueNumbers::find_order(sdk::SqlExecutor& tx, const std::string& order_id) const {
    auto rows = tx.query(std::string("SELECT ") + kColumns + " FROM order_quickservice_queue WHERE order_id = ?",
                         {Value(order_id)});
    if (!rows) return rows.error();
    std::vector<QueueEntry> out;
    for (const auto& row : rows->rows) out.push_back(entry_from(row));
    return out;
}

sdk::Result<QueueEntry> QueueNumbers::assign(sdk::Storage& storage, std::int64_t now_utc_ms,
                                             const std::string& order_id, const std::string& customer_name,
                                             bool eat_in) const {
    const std::string today = day_of(now_utc_ms);
    const std::int64_t span = settings_.max_number - settings_.first_number + 1;
    sdk::Error last{"storage_error", "no attempt made"};
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        QueueEntry entry;
        auto s = storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            auto existing = find_order(tx, order_id);
            if (!existing) return existing.status();
            if (!existing->empty()) {
                entry = existing->front();
                return {};
            }
            auto made = tx.execute(
                "INSERT INTO order_quickservice_days (business_day, issued) VALUES (?, 0) "
                "ON CONFLICT (business_day) DO NOTHING",
                {Value(today)});
            if (!made) return made.status();
            // Locks the day row until commit: concurrent submitters queue here.
            auto bumped = tx.execute("UPDATE order_quickservice_days SET issued = issued + 1 WHERE business_day = ?",
                                     {Value(today)});
            if (!bumped) return bumped.status();
            auto issued = tx.query("SELECT issued FROM order_quickservice_days WHERE business_day = ?", {Value(today)});
            if (!issued) return issued.status();
            const std::int64_t seq = issued->rows.at(0).at(0).as_int();
            entry.queue_number = settings_.first_number + (seq - 1) % span;
            entry.order_id = order_id;
            entry.business_day = today;
            entry.customer_name = customer_name;
            entry.eat_in = eat_in;
            entry.assigned_utc_ms = now_utc_ms;
            auto inserted = tx.execute(
                "INSERT INTO order_quickservice_queue (order_id, business_day, seq, queue_number, customer_name, "
                "eat_in, assigned_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {Value(order_id), Value(today), Value(seq), Value(entry.queue_number), Value(customer_name),
                 Value(eat_in ? 1 : 0), Value(now_utc_ms)});
            return inserted.status();
        });
        if (s.ok()) return entry;
        last = s.error();
        // The same order submitted twice at once: the other call won; use its number.
        auto existing = find_order(storage, order_id);
        if (existing && !existing->empty()) return existing->front();
    }
    return last;
}

sdk::Result<std::vector<QueueEntry>> QueueNumbers::day(sdk::SqlExecutor& storage, const std::string& business_day) const {
    auto rows = storage.query(std::string("SELECT ") + kColumns +
                                  " FROM order_quickservice_queue WHERE business_day = ? ORDER BY seq",
                              {Value(business_day)});
    if (!rows) return rows.error();
    std::vector<QueueEntry> out;
    for (const auto& row : rows->rows) out.push_back(entry_from(row));
    return out;
}

}  // namespace till::order_quickservice
