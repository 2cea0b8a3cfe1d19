// Out-of-line destructors: one home for each seam's vtable.
#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/common/replication.hpp"
#include "domain/common/stock_ledger.hpp"

namespace till::domain {

Authorizer::~Authorizer() = default;
AuditLog::~AuditLog() = default;
CatalogLookup::~CatalogLookup() = default;
StockLedger::~StockLedger() = default;
ReplicationLog::~ReplicationLog() = default;
void ReplicationLog::committed_high_priority() {}
ReplicaApplier::~ReplicaApplier() = default;
ConflictPolicy::~ConflictPolicy() = default;

const std::vector<std::string>& all_actions() {
    static const std::vector<std::string> actions = {
        std::string(action::order_create),        std::string(action::order_void),
        std::string(action::order_refund),        std::string(action::refund_over_limit),
        std::string(action::refund_other_tender), std::string(action::discount_apply),
        std::string(action::discount_over_limit), std::string(action::price_override),
        std::string(action::payment_take),        std::string(action::drawer_no_sale),
        std::string(action::register_open),       std::string(action::register_cash_move),
        std::string(action::register_close),      std::string(action::report_x),
        std::string(action::report_z),            std::string(action::catalog_edit),
        std::string(action::inventory_adjust),    std::string(action::users_manage),
        std::string(action::audit_read),          std::string(action::sync_view),
        std::string(action::sync_manage),         std::string(action::transfer_manage),
        std::string(action::transfer_move),       std::string(action::roles_manage)};
    return actions;
}

}  // namespace till::domain

#include "domain/common/settlement.hpp"

namespace till::domain {
OrderSettlement::~OrderSettlement() = default;
RegisterLookup::~RegisterLookup() = default;
OrderTotalsSource::~OrderTotalsSource() = default;
TenderTotalsSource::~TenderTotalsSource() = default;
}  // namespace till::domain

#include "domain/common/customer_lookup.hpp"

namespace till::domain {
CustomerLookup::~CustomerLookup() = default;
}  // namespace till::domain
