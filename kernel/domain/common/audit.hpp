// The append-only, hash-chained audit log as the other domain modules see
// it. Every override, void, refund, price change, discount over the limit,
// no-sale, register close and login failure is appended here, inside the
// same transaction as the change it records (so there is never a change
// without its entry, nor an entry without its change).
#pragma once

#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain {

struct AuditEntry {
    std::string actor_user_id;     ///< who did it ("" for an unknown user, e.g. a failed login)
    std::string action;            ///< "order.void", "auth.login_failed", "price.override", ...
    std::string subject;           ///< what it touched: "order:<id>", "user:<id>", "register:<id>"
    std::string reason;            ///< why, as given by the user or a reason code
    std::string authorized_by;     ///< supervisor user id for an override, else ""
    std::string terminal_id;
    sdk::Value details;            ///< a map with the specifics (amounts, old/new price)
};

class AuditLog {
public:
    virtual ~AuditLog();
    /// Appends `entry` (time from the node clock) within the caller's
    /// transaction `tx`. Fails only when storage fails; the caller then rolls
    /// back its change too.
    virtual sdk::Status append(sdk::SqlExecutor& tx, const AuditEntry& entry) = 0;
};

}  // namespace till::domain
