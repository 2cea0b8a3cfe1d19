// Breaks the construction cycle between the sales modules: orders and
// payments need a RegisterLookup when they are built, and RegisterService
// needs their totals when it is built. Build RegisterService with a
// TotalsSlot, then the orders and payments services with the register
// service, then fill the slot:
//
//   registers::TotalsSlot totals;
//   RegisterService registers(ctx, people, audit, totals, totals);
//   OrderService orders(ctx, people, audit, catalog, stock, registers);
//   payments::PaymentService payments(ctx, people, audit, orders, registers);
//   totals.connect(orders, payments);
//
// Until connect() is called, both calls answer "unavailable".
// connect() must happen before the services are used from other threads.
#pragma once

#include <string>
#include <vector>

#include "domain/common/http_errors.hpp"
#include "domain/common/settlement.hpp"

namespace till::domain::registers {

class TotalsSlot final : public OrderTotalsSource, public TenderTotalsSource {
public:
    void connect(OrderTotalsSource& orders, TenderTotalsSource& tenders) noexcept {
        orders_ = &orders;
        tenders_ = &tenders;
    }

    sdk::Result<OrderTotals> order_totals(sdk::SqlExecutor& tx, const std::string& session_id) override {
        if (!orders_) return missing();
        return orders_->order_totals(tx, session_id);
    }
    sdk::Result<std::vector<TenderTotals>> tender_totals(sdk::SqlExecutor& tx,
                                                         const std::string& session_id) override {
        if (!tenders_) return missing();
        return tenders_->tender_totals(tx, session_id);
    }

private:
    static sdk::Error missing() {
        return sdk::Error{std::string(error_code::unavailable), "session totals are not connected yet"};
    }
    OrderTotalsSource* orders_ = nullptr;
    TenderTotalsSource* tenders_ = nullptr;
};

}  // namespace till::domain::registers
