#include "queue_route.hpp"

#include "business_day.hpp"

namespace till::order_quickservice {

sdk::HttpResponse QueueRoute::operator()(const sdk::HttpRequest& request) const {
    sdk::Host* host = runtime_->host.load();
    if (!host) return sdk::HttpResponse::problem(503, "unavailable", "order_quickservice is not running");
    std::string day = runtime_->numbers.day_of(host->clock().now_utc_ms());
    if (auto it = request.query.find("day"); it != request.query.end()) {
        if (!is_day_text(it->second))
            return sdk::HttpResponse::problem(422, "invalid input",
                                              "query parameter day: expected a date YYYY-MM-DD, got \"" +
                                                  it->second + "\"");
        day = it->second;
    }
    auto entries = runtime_->numbers.day(host->storage(), day);
    if (!entries) {
        host->logger().error("queue listing failed: " + entries.error().message);
        return sdk::HttpResponse::problem(500, "internal error", "the queue could not be read");
    }
    sdk::Value items = sdk::Value::list();
    for (const auto& e : *entries) {
        sdk::Value v = sdk::Value::map();
        v.set("queue_number", e.queue_number);
        v.set("order_id", e.order_id);
        v.set("customer_name", e.customer_name);
        v.set("eat_in", e.eat_in);
        v.set("assigned_utc_ms", e.assigned_utc_ms);
        items.push_back(std::move(v));
    }
    sdk::Value body = sdk::Value::map();
    body.set("business_day", day);
    body.set("items", items);
    return sdk::HttpResponse::json(body);
}

}  // namespace till::order_quickservice
