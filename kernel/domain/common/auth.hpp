// Who is calling and what they may do: the seam between the API routes of
// every domain module and the people module that implements it.
//
// Every domain route starts with Authorizer::authenticate (Bearer JWT from
// POST /api/v1/auth/login) and, for a restricted step, Authorizer::authorize
// with one of the action names below. When the caller's role lacks the
// action, authorize() accepts a manager override instead: a single-use token
// from POST /api/v1/auth/overrides (a supervisor's PIN), sent by the retried
// request in the header `X-Till-Override`. An override is bound to one
// action and one cashier, used once, and audited.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/http.hpp"
#include "till/sdk/status.hpp"

namespace till::domain {

/// Actions that can be granted to roles (config `auth.permissions`).
namespace action {
inline constexpr std::string_view order_create = "order.create";          ///< open orders, add/edit lines
inline constexpr std::string_view order_void = "order.void";              ///< void an unpaid order or a line after submit
inline constexpr std::string_view order_refund = "order.refund";          ///< returns/exchanges up to the refund limit
inline constexpr std::string_view refund_over_limit = "refund.over_limit";
inline constexpr std::string_view refund_other_tender = "refund.other_tender";  ///< refund to a tender other than the original
inline constexpr std::string_view discount_apply = "discount.apply";      ///< discounts up to the discount limit
inline constexpr std::string_view discount_over_limit = "discount.over_limit";
inline constexpr std::string_view price_override = "price.override";      ///< change a line's unit price
inline constexpr std::string_view payment_take = "payment.take";
inline constexpr std::string_view drawer_no_sale = "drawer.no_sale";      ///< open the drawer without a sale
inline constexpr std::string_view register_open = "register.open";
inline constexpr std::string_view register_cash_move = "register.cash_move";
inline constexpr std::string_view register_close = "register.close";
inline constexpr std::string_view report_x = "report.x";
inline constexpr std::string_view report_z = "report.z";
inline constexpr std::string_view catalog_edit = "catalog.edit";
inline constexpr std::string_view inventory_adjust = "inventory.adjust";
inline constexpr std::string_view users_manage = "users.manage";
inline constexpr std::string_view audit_read = "audit.read";
inline constexpr std::string_view sync_view = "sync.view";      ///< sync status, HQ's list of stores
inline constexpr std::string_view sync_manage = "sync.manage";  ///< push/pull now
inline constexpr std::string_view transfer_manage = "transfer.manage";  ///< create, edit and cancel stock transfers
inline constexpr std::string_view transfer_move = "transfer.move";      ///< send and receive a transfer's goods (moves stock)
inline constexpr std::string_view roles_manage = "roles.manage";        ///< change which actions a role grants
}  // namespace action

/// Every action name above, in a stable order (for docs and config checks).
const std::vector<std::string>& all_actions();

/// The authenticated caller of a request.
struct Principal {
    std::string user_id;
    std::string user_name;
    std::string role;         ///< cashier | supervisor | manager | admin
    std::string terminal_id;  ///< the terminal the user logged in at ("" when none)
};

/// The outcome of authorize(): who acts, and who authorised it when a
/// supervisor's override was used (empty otherwise). Put both in the audit
/// entry of the step.
struct Authorization {
    Principal principal;
    std::string override_user_id;
    std::string override_reason;
};

class Authorizer {
public:
    virtual ~Authorizer();
    /// The caller of `request` from its "Authorization: Bearer <jwt>" header.
    /// Error code "unauthorized" when missing, malformed, badly signed or
    /// expired, or when the user is gone or inactive.
    virtual sdk::Result<Principal> authenticate(const sdk::HttpRequest& request) const = 0;
    /// May `principal` perform `action`? When the role lacks it: with a valid
    /// X-Till-Override token for this action and principal, the override is
    /// consumed (single use) and recorded in the audit log; without one, error
    /// code "override_required" (403) whose message names the action; with a
    /// bad, expired, used or mismatched one, "forbidden".
    virtual sdk::Result<Authorization> authorize(const Principal& principal, std::string_view action,
                                                 const sdk::HttpRequest& request) = 0;
};

}  // namespace till::domain
