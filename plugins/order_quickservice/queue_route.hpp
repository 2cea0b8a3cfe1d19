// GET /api/v1/quickservice/queue[?day=YYYY-MM-DD]: the numbered orders of a
// business day (today by default), in the order the numbers were given —
// for a kitchen screen or a pick-up board.
#pragma once

#include <memory>

#include "quickservice_order_type.hpp"
#include "till/sdk/http.hpp"

namespace till::order_quickservice {

class QueueRoute {
public:
    explicit QueueRoute(std::shared_ptr<QuickserviceRuntime> runtime) : runtime_(std::move(runtime)) {}
    sdk::HttpResponse operator()(const sdk::HttpRequest& request) const;

private:
    std::shared_ptr<QuickserviceRuntime> runtime_;
};

}  // namespace till::order_quickservice
