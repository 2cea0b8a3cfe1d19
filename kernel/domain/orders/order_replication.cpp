// OrderService: what an order change sends to HQ (docs/sync.md, "Payloads").
#include "domain/common/replication.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/orders/order_service.hpp"

namespace till::domain {

sdk::Status OrderService::replicate(sdk::SqlExecutor& tx, const orders::Order& order, std::string_view type) {
    ReplicatedChange change;
    change.type = std::string(type);
    change.entity_id = order.order_id;
    change.payload = orders::order_to_json(order);
    // Beside the API's order, what HQ's projections read without digging:
    // the totals at the top level, and the session that settled the order
    // (the one whose Z report counts it).
    const sdk::Value totals = change.payload["totals"];  // a copy: set() below changes the map
    for (const char* key : {"gross_minor", "discount_minor", "tax_minor", "total_minor"})
        change.payload.set(key, totals[key]);
    change.payload.set("settled_session_id",
                       order.settled_session_id.empty() ? sdk::Value() : sdk::Value(order.settled_session_id));
    if (payments_) {
        auto payments = payments_->order_payments(tx, order.order_id);
        if (!payments) return payments.status();
        change.payload.set("payments", std::move(payments.value()));
    }
    // A sale waits for the next push; a refund or a void is pushed at once.
    change.high_priority = type != change_type::sale;
    return ctx_.replication.append(tx, change);
}

}  // namespace till::domain
