// SQL of the registers module: rows in and out of its tables, always inside
// the caller's transaction. No business rules here (see register_service.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::registers {

struct RegisterRow {
    std::string register_id;
    std::string current_session_id;  ///< "" when no session is open
    std::int64_t next_z_number = 1;
    std::int64_t first_seen_utc_ms = 0;
    std::int64_t updated_utc_ms = 0;
};

struct SessionRow {
    std::string session_id;
    std::string register_id;
    std::string state;  ///< "open" | "closed"
    std::string currency;
    std::int64_t opening_float_minor = 0;
    std::string opened_by_user_id;
    std::string opened_by_name;
    std::int64_t opened_utc_ms = 0;
    std::string open_note;
    std::string closed_by_user_id;
    std::string closed_by_name;
    std::int64_t closed_utc_ms = 0;
    std::int64_t counted_minor = 0;
    std::int64_t expected_cash_minor = 0;
    std::int64_t variance_minor = 0;
    std::string close_note;
    std::int64_t z_number = 0;  ///< 0 while open
};

struct CashMovementRow {
    std::string movement_id;
    std::string session_id;
    std::string register_id;
    std::string direction;  ///< "in" | "out"
    std::int64_t amount_minor = 0;
    std::string reason_code;
    std::string note;
    std::string user_id;
    std::string authorized_by;
    std::int64_t created_utc_ms = 0;
};

/// Cash movements of a session, summed.
struct CashSummary {
    struct ByReason {
        std::string direction;
        std::string reason_code;
        std::int64_t count = 0;
        std::int64_t amount_minor = 0;
    };
    std::int64_t in_count = 0;
    std::int64_t in_minor = 0;
    std::int64_t out_count = 0;
    std::int64_t out_minor = 0;
    std::vector<ByReason> by_reason;  ///< ordered by direction, reason
};

struct ZReportRow {
    std::string register_id;
    std::int64_t z_number = 0;
    std::string session_id;
    std::int64_t created_utc_ms = 0;
    std::string report_json;
    std::string report_sha256;
};

class RegisterStore {
public:
    RegisterStore(sdk::SqlExecutor& tx, sdk::Dialect dialect) : tx_(tx), dialect_(dialect) {}

    /// Adds the register's row when it is new (no-op otherwise).
    sdk::Status ensure_register(const std::string& register_id, std::int64_t now_utc_ms);
    /// The register's row, locked for update until the transaction ends
    /// (PostgreSQL FOR UPDATE; SQLite transactions are serialised anyway).
    sdk::Result<std::optional<RegisterRow>> lock_register(const std::string& register_id);
    /// The register's open session id ("" when none) with a share lock on
    /// PostgreSQL; nullopt when the register was never seen.
    sdk::Result<std::optional<std::string>> open_session_id(const std::string& register_id);
    sdk::Result<std::vector<RegisterRow>> all_registers();
    sdk::Status set_current_session(const std::string& register_id, const std::string& session_id,
                                    std::int64_t now_utc_ms);
    /// Hands out the register's next Z number and advances the counter.
    sdk::Result<std::int64_t> take_z_number(const std::string& register_id, std::int64_t now_utc_ms);

    sdk::Status insert_session(const SessionRow& row);
    sdk::Result<std::optional<SessionRow>> session(const std::string& session_id);
    sdk::Status mark_closed(const SessionRow& row);

    sdk::Status insert_cash_movement(const CashMovementRow& row);
    sdk::Result<CashSummary> cash_summary(const std::string& session_id);

    sdk::Status insert_no_sale(const std::string& no_sale_id, const std::string& session_id,
                               const std::string& register_id, const std::string& reason,
                               const std::string& user_id, const std::string& authorized_by,
                               std::int64_t now_utc_ms);
    sdk::Result<std::int64_t> no_sale_count(const std::string& session_id);

    sdk::Status insert_z_report(const ZReportRow& row);
    sdk::Result<std::optional<ZReportRow>> z_report(const std::string& register_id, std::int64_t z_number);
    sdk::Result<std::vector<ZReportRow>> z_reports(const std::string& register_id, std::int64_t after_number,
                                                   std::int64_t limit);

private:
    sdk::SqlExecutor& tx_;
    sdk::Dialect dialect_;
};

}  // namespace till::domain::registers
