// The `quickservice` order type ("Counter order"): a counter sale with an
// optional customer name and eat-in flag; on submission it gets the next
// queue number of the business day (HookResult::set_fields {"queue_number"}).
#pragma once

#include <atomic>
#include <memory>

#include "queue_numbers.hpp"
#include "till/sdk/host.hpp"
#include "till/sdk/order_type.hpp"

namespace till::order_quickservice {

/// What the order type and the queue route share. `host` is set by
/// on_start and cleared by on_stop; both read it on worker threads.
struct QuickserviceRuntime {
    explicit QuickserviceRuntime(QueueSettings settings) : numbers(settings) {}
    std::atomic<sdk::Host*> host{nullptr};
    const QueueNumbers numbers;
};

class QuickserviceOrderType final : public sdk::OrderType {
public:
    explicit QuickserviceOrderType(std::shared_ptr<QuickserviceRuntime> runtime) : runtime_(std::move(runtime)) {}

    std::string id() const override { return "quickservice"; }
    std::string display_name() const override { return "Counter order"; }
    std::vector<sdk::OrderFieldSpec> fields() const override;
    sdk::OrderTypeCapabilities capabilities() const override { return {true, false}; }
    sdk::Status validate_fields(const sdk::Value& fields) const override;
    /// Gives a sale its queue number (a return gets none). Refuses with code
    /// "unavailable" when the plugin is not running or storage fails.
    sdk::HookResult on_submitted(const sdk::Order& order) override;

private:
    std::shared_ptr<QuickserviceRuntime> runtime_;
};

}  // namespace till::order_quickservice
