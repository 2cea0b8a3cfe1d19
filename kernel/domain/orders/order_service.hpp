// The order engine: orders and their lines, the state machine, returns and
// exchanges, settlement for the payments module and session totals for the
// registers module, over the REST API under /api/v1/orders.
//
// Every change is one storage transaction (with its audit entries and stock
// movements), checked against the order's version (optimistic versioning: a
// request carrying a stale `expected_version` gets "conflict", 409, with the
// current version), and published as "order.<event>" with the order's JSON
// after the commit. Changes HQ needs are appended to ctx.replication in the
// same transaction (docs/sync.md): `sale` when an order settles paid,
// `refund` when a return settles, `void` when an order is voided — each the
// order as GET /api/v1/orders/{id} shows it with its payments (use_payments).
// Order type hooks (on_line_added, on_submitted, on_paid)
// run outside any transaction: on_line_added and on_submitted see the
// would-be order before the step commits and may refuse it.
//
// Threading: every method may be called from several threads at once.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.hpp"
#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/customer_lookup.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/common/context.hpp"
#include "domain/common/settlement.hpp"
#include "domain/common/stock_ledger.hpp"
#include "domain/orders/order_model.hpp"
#include "domain/orders/order_payments.hpp"
#include "domain/orders/order_store.hpp"

namespace till::domain {

/// Asks for permission to perform a restricted action, when the operation
/// finds it needs one (a discount over the limit, a price override, a void
/// after submit, a refund over the limit). Routes pass a function calling
/// Authorizer::authorize with the request (so X-Till-Override works).
using Permit = std::function<sdk::Result<Authorization>(std::string_view action)>;

struct OpenOrderRequest {
    std::string order_type_id;
    std::string customer_id;
    sdk::Value fields = sdk::Value::map();
};

struct AddLineRequest {
    std::string sku;                         ///< a SKU or a barcode
    std::string sku_path = "$.sku";          ///< JSON path named when it is unknown
    std::int64_t qty_milli = 1000;
    std::vector<std::string> modifier_ids;
    std::string note;
    std::optional<orders::Discount> discount;
    std::optional<std::int64_t> unit_price_minor;  ///< an override: needs "price.override"
};

struct ChangeLineRequest {
    std::optional<std::int64_t> qty_milli;
    std::optional<std::string> note;
    std::optional<orders::Discount> discount;
    std::optional<std::int64_t> unit_price_minor;
};

struct ChangeOrderRequest {
    std::optional<std::string> customer_id;  ///< "" clears it
    std::optional<sdk::Value> fields;        ///< replaces the order type's fields
    std::optional<orders::Discount> discount;
};

struct ReturnLineRequest {
    std::string line_id;
    std::int64_t qty_milli = 0;
};

struct ReturnRequest {
    std::string reason_code;
    std::vector<ReturnLineRequest> lines;
    std::optional<std::int64_t> expected_version;  ///< of the original sale
};

class OrderService final : public OrderSettlement, public OrderTotalsSource {
public:
    OrderService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, const CatalogLookup& catalog,
                 StockLedger& stock, RegisterLookup& registers);
    ~OrderService() override;
    OrderService(const OrderService&) = delete;
    OrderService& operator=(const OrderService&) = delete;

    /// Applies the "domain.orders" migrations.
    sdk::Status start();
    /// POST/GET /api/v1/orders, GET/PATCH /api/v1/orders/{order_id},
    /// POST /lines, PATCH/DELETE /lines/{line_id}, POST /submit, /void, /close, /returns.
    sdk::Status add_routes(api::Router& router);

    // The operations behind the routes. `by` is the caller (authorised for
    // the route's base action); `permit` is asked for restricted actions.
    sdk::Result<orders::Order> open_order(const Authorization& by, const OpenOrderRequest& request);
    sdk::Result<orders::Order> get(const std::string& order_id);
    struct ListQuery {
        std::string state;
        std::string session_id;
        std::string cursor;
        int limit = 50;
    };
    struct ListPage {
        std::vector<orders::Order> items;
        std::string next;  ///< "" when there is no further page
    };
    sdk::Result<ListPage> list(const ListQuery& query);
    sdk::Result<orders::Order> add_line(const std::string& order_id, std::int64_t expected_version,
                                        const AddLineRequest& request, const Authorization& by, const Permit& permit);
    sdk::Result<orders::Order> change_line(const std::string& order_id, const std::string& line_id,
                                           std::int64_t expected_version, const ChangeLineRequest& request,
                                           const Authorization& by, const Permit& permit);
    /// Before submit the line is deleted; after submit it is voided (needs
    /// "order.void", audited as "order.line_void").
    sdk::Result<orders::Order> remove_line(const std::string& order_id, const std::string& line_id,
                                           std::int64_t expected_version, const std::string& reason,
                                           const Authorization& by, const Permit& permit);
    sdk::Result<orders::Order> change_order(const std::string& order_id, std::int64_t expected_version,
                                            const ChangeOrderRequest& request, const Authorization& by,
                                            const Permit& permit);
    sdk::Result<orders::Order> submit(const std::string& order_id, std::int64_t expected_version,
                                      const Authorization& by);
    /// Needs "order.void" (asked through `permit`); audited.
    sdk::Result<orders::Order> void_order(const std::string& order_id, std::int64_t expected_version,
                                          const std::string& reason, const Authorization& by, const Permit& permit);
    sdk::Result<orders::Order> close(const std::string& order_id, std::int64_t expected_version,
                                     const Authorization& by);
    /// Opens a return order against a paid or closed sale. Needs
    /// "order.refund", and "refund.over_limit" above sales.refund_limit_minor.
    sdk::Result<orders::Order> open_return(const std::string& original_order_id, const ReturnRequest& request,
                                           const Authorization& by, const Permit& permit);

    // OrderSettlement
    sdk::Result<OrderBalance> balance(sdk::SqlExecutor& tx, const std::string& order_id) override;
    sdk::Status settle(sdk::SqlExecutor& tx, const std::string& order_id, const Authorization& by) override;
    void after_settled(const std::string& order_id) override;
    // OrderTotalsSource
    sdk::Result<OrderTotals> order_totals(sdk::SqlExecutor& tx, const std::string& session_id) override;

    /// Whether a settled order of this type stays "paid" until it is closed by
    /// POST /orders/{id}/close (quick-service: handed over later) rather than
    /// closing at once.
    static bool keeps_paid_open(const std::string& order_type_id);

    /// The customer directory: when set, a customer given to an order must
    /// exist and be active, and a tax-exempt customer makes the order exempt.
    /// Without it, customer ids are kept as given. Call before serving.
    void use_customers(CustomerLookup& customers) noexcept { customers_ = &customers; }
    /// The payments ledger: fills "payments" of the order recorded for HQ
    /// (`sale`, `refund`, `void` changes). Without it the list is empty. Call
    /// before serving.
    void use_payments(OrderPaymentsSource& payments) noexcept { payments_ = &payments; }

private:
    struct Change;
    sdk::Result<orders::Order> load_current(const std::string& order_id);
    /// How a change is committed: by its state (drafts relaxed, the rest
    /// forced to disk), or relaxed because it only records what a hook set
    /// after the sale was already committed.
    enum class Durability { by_state, bookkeeping };
    sdk::Result<orders::Order> commit(const orders::Order& before, orders::Order after,
                                      const std::vector<AuditEntry>& audits, const std::string& topic,
                                      Durability durability = Durability::by_state,
                                      std::string_view replicate_as = {});
    /// Appends `order` (with its payments) as a change of type `type` for HQ
    /// in `tx` (domain/common/replication.hpp).
    sdk::Status replicate(sdk::SqlExecutor& tx, const orders::Order& order, std::string_view type);
    sdk::Result<std::shared_ptr<sdk::OrderType>> order_type(const std::string& id, const std::string& path) const;
    /// Sets order.customer_id (and tax_exempt) from `customer_id` ("" clears).
    sdk::Status assign_customer(orders::Order& order, const std::string& customer_id);
    sdk::Status apply_hook(const char* hook, const sdk::HookResult& result, orders::Order& order, bool may_refuse);
    void publish(const std::string& topic, const orders::Order& order);

    DomainContext& ctx_;
    Authorizer& authorizer_;
    AuditLog& audit_;
    const CatalogLookup& catalog_;
    StockLedger& stock_;
    RegisterLookup& registers_;
    CustomerLookup* customers_ = nullptr;
    OrderPaymentsSource* payments_ = nullptr;
    orders::OrderStore store_;
    std::mutex pending_mutex_;
    std::map<std::string, std::vector<StockLevel>> pending_levels_;  ///< settle → after_settled
    std::map<std::string, std::string> pending_refunds_;             ///< return id → original id
};

}  // namespace till::domain
