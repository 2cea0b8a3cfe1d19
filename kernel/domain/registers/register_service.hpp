// Register sessions: a cash drawer's life between "open with a float" and
// "close with counted cash". A register is identified by its terminal id.
//
// What it keeps (storage module "domain.registers"): one row per register
// seen (its open session and its Z counter), sessions, cash movements
// (in/out with a configured reason), no-sale drawer openings and Z reports.
//
// Rules:
//  - at most one open session per register (a second open is "conflict");
//  - cash in/out needs an open session and a reason code from
//    `sales.cash_movement_reasons`;
//  - closing counts the drawer per denomination; expected cash is
//    float + cash sales − cash refunds + cash tips + cash in − cash out and
//    variance = counted − expected;
//  - each close writes a Z report numbered 1, 2, 3, ... per register with no
//    gaps: the number comes from the register's counter row inside the
//    closing transaction, so a close that fails (rolls back) uses none and
//    two concurrent closes of one session give one report. Z reports have no
//    update path; each stores its JSON text and that text's SHA-256;
//  - closing with orders still open is allowed (as Square and Lightspeed
//    do): they stay open and are counted in the session that settles them;
//  - closing while a payment of the session is pending or uncertain (a card
//    payment waiting for its terminal) is refused: the payment is bound to
//    the session and its outcome must be on the session's Z report. Resolve
//    it first (the same payment request again with its idempotency key).
//
// Every change is one storage transaction with its audit entry and its change
// for HQ on ctx.replication (`register_session` at open and close — pushed at
// once —, `cash_movement` for cash in/out and no-sale, `z_report` — pushed at
// once; docs/domain/registers.md), published on the event bus after the
// commit: register.opened, register.cash_moved,
// register.no_sale, register.closed, report.z_created.
//
// Threading: all methods may be called from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"
#include "domain/common/settlement.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::api {
class Router;
}

namespace till::domain {

/// One line of a drawer count: `count` notes/coins of `denomination_minor`.
struct CountedDenomination {
    std::int64_t denomination_minor = 0;  ///< > 0
    std::int64_t count = 0;               ///< >= 0
};

enum class CashDirection { in, out };

struct CashMovementRequest {
    CashDirection direction = CashDirection::in;
    std::int64_t amount_minor = 0;  ///< > 0
    std::string reason_code;        ///< one of sales.cash_movement_reasons
    std::string note;
};

/// The storage module name of the registers' migrations.
inline constexpr const char* registers_module = "domain.registers";

class RegisterService final : public RegisterLookup {
public:
    RegisterService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, OrderTotalsSource& orders,
                    TenderTotalsSource& tenders);
    ~RegisterService() override;
    RegisterService(const RegisterService&) = delete;
    RegisterService& operator=(const RegisterService&) = delete;

    /// Applies the migrations of "domain.registers".
    sdk::Status start();
    /// The /api/v1/registers routes (owner "kernel").
    sdk::Status add_routes(api::Router& router);

    // RegisterLookup: the open session of `register_id` inside the caller's
    // transaction. On PostgreSQL it takes a share lock on the register's row,
    // so a payment recorded in the session and the session's close never
    // overlap: the close waits for it (and reports it) or it sees the session
    // closed.
    sdk::Result<std::optional<std::string>> open_session(sdk::SqlExecutor& tx,
                                                         const std::string& register_id) override;

    // The operations behind the routes; results are the resources as the API
    // shows them. Errors: "invalid_argument" (with a JSON path), "conflict"
    // (a session is already open), "invalid_state" (no open session),
    // "not_found", or a storage error.

    /// Opens a session with `opening_float_minor` (>= 0). Audited "register.open".
    sdk::Result<sdk::Value> open(const Authorization& by, const std::string& register_id,
                                 std::int64_t opening_float_minor, const std::string& note);
    /// Records cash put in or taken out. Audited "register.cash_move".
    sdk::Result<sdk::Value> move_cash(const Authorization& by, const std::string& register_id,
                                      const CashMovementRequest& request);
    /// Records a no-sale drawer opening (audited "drawer.no_sale") and asks
    /// the register's cash drawer, if one is registered, to open — on a
    /// thread of its own, never waiting for it.
    sdk::Result<sdk::Value> no_sale(const Authorization& by, const std::string& register_id,
                                    const std::string& reason);
    /// The open session's figures so far.
    sdk::Result<sdk::Value> x_report(const std::string& register_id);
    /// Closes the open session: counted total, expected, variance and the Z
    /// report. Audited "register.close" and "report.z". Refused
    /// ("invalid_state", naming them) while payments of the session are
    /// pending or uncertain: their outcome would land in a closed session and
    /// on no Z report. Their ids are put in `pending_payment_ids` when given.
    sdk::Result<sdk::Value> close(const Authorization& by, const std::string& register_id,
                                  const std::vector<CountedDenomination>& counted, const std::string& note,
                                  std::vector<std::string>* pending_payment_ids = nullptr);
    /// The open session ("not_found" when none).
    sdk::Result<sdk::Value> current_session(const std::string& register_id);
    /// Z report `z_number` of `register_id` ("not_found" when none).
    sdk::Result<sdk::Value> z_report(const std::string& register_id, std::int64_t z_number);
    /// Z reports numbered above `after_number`, oldest first: {"items", "next"}.
    sdk::Result<sdk::Value> list_z_reports(const std::string& register_id, std::int64_t after_number,
                                           std::int64_t limit);
    /// Every register seen, with its state: {"items": [...]}.
    sdk::Result<sdk::Value> list_registers();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Checks the shape of a drawer count: denominations positive, counts >= 0,
/// no denomination twice. Errors are "invalid_argument" naming
/// "$.counted[i].<field>".
sdk::Status validate_counted(const std::vector<CountedDenomination>& counted);

/// Sum of denomination × count (inputs already validated).
std::int64_t counted_total_minor(const std::vector<CountedDenomination>& counted);

}  // namespace till::domain
