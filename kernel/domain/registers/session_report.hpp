// X and Z report figures of a session, from its row, the orders' and
// payments' totals and its cash movements. Pure functions: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/common/settlement.hpp"
#include "domain/registers/register_service.hpp"
#include "domain/registers/register_store.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::registers {

/// The tender whose money sits in the drawer.
inline constexpr const char* cash_method_id = "cash";

struct SessionFigures {
    SessionRow session;
    OrderTotals orders;
    std::vector<TenderTotals> tenders;
    CashSummary cash;
    std::int64_t no_sale_count = 0;
};

/// float + cash sales − cash refunds + cash tips + cash in − cash out.
std::int64_t expected_cash_minor(const SessionFigures& figures);

/// The session's cash rounding: Σ of the tenders' rounding_minor (signed: −2
/// when a 1.02 sale was taken as 1.00 in cash).
std::int64_t cash_rounding_minor(const SessionFigures& figures);

/// How the orders' figures (before cash rounding) meet the tenders' (after
/// it), tips excluded:
///   net_sales_minor + cash_rounding_minor + unsettled_minor = tenders_net_minor
/// unsettled_minor is money the tenders took in this session for orders not
/// settled in it (a deposit on an order still open, an order whose last
/// payment was taken at another register, an order voided while its payments
/// still stand) less sales settled here with money taken elsewhere; 0 when
/// the session balances.
struct Reconciliation {
    std::int64_t net_sales_minor = 0;      ///< orders: sales total − returns total
    std::int64_t cash_rounding_minor = 0;
    std::int64_t tenders_net_minor = 0;    ///< Σ (sales_minor − refunds_minor) over tenders
    std::int64_t unsettled_minor = 0;
};
Reconciliation reconcile(const SessionFigures& figures);

/// Payments of the session whose outcome is not known yet (pending or
/// uncertain), of every method.
std::vector<std::string> pending_payment_ids(const SessionFigures& figures);

/// The session as the API shows it.
sdk::Value session_value(const SessionRow& session);

/// The X report (figures so far) of an open session at `generated_utc_ms`.
sdk::Value x_report_value(const SessionFigures& figures, std::int64_t generated_utc_ms);

struct CloseFigures {
    std::int64_t z_number = 0;
    std::vector<CountedDenomination> counted;
    std::int64_t counted_minor = 0;
    std::int64_t expected_cash_minor = 0;
    std::int64_t variance_minor = 0;
};

/// The Z report: the X report's figures (with the session closed) plus the
/// number, the count and the variance.
sdk::Value z_report_value(const SessionFigures& figures, const CloseFigures& close, std::int64_t generated_utc_ms);

/// Lower-case hex SHA-256 of `text`.
std::string sha256_hex(const std::string& text);

}  // namespace till::domain::registers
