// order_quickservice: the plugin glue. Reads the config, registers the
// `quickservice` order type, its migration and the queue route; hands the
// Host to them while running.
#include <memory>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "queue_route.hpp"
#include "quickservice_order_type.hpp"

namespace {

using namespace till::sdk;
using namespace till::order_quickservice;

class OrderQuickservicePlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        const Value& config = registrar.config();
        QueueSettings settings;
        settings.day_starts_at_hour = static_cast<int>(config["day_starts_at_hour"].as_int(settings.day_starts_at_hour));
        settings.first_number = config["first_number"].as_int(settings.first_number);
        settings.max_number = config["max_number"].as_int(settings.max_number);
        if (settings.day_starts_at_hour < 0 || settings.day_starts_at_hour > 23)
            return Status::failure("invalid_argument", "order_quickservice.day_starts_at_hour must be 0 to 23");
        if (settings.first_number < 0 || settings.max_number < settings.first_number)
            return Status::failure("invalid_argument", "order_quickservice.max_number (" +
                                                           std::to_string(settings.max_number) +
                                                           ") must be at least first_number (" +
                                                           std::to_string(settings.first_number) + ")");
        runtime_ = std::make_shared<QuickserviceRuntime>(settings);
        for (auto& m : queue_migrations())
            if (auto s = registrar.add_migration(std::move(m)); !s.ok()) return s;
        if (auto s = registrar.add_order_type(std::make_shared<QuickserviceOrderType>(runtime_)); !s.ok()) return s;
        return registrar.add_route(HttpMethod::get, "/api/v1/quickservice/queue", QueueRoute(runtime_));
    }

    Status on_start(Host& host) override {
        runtime_->host.store(&host);
        return {};
    }

    void on_stop() noexcept override {
        if (runtime_) runtime_->host.store(nullptr);
    }

private:
    std::shared_ptr<QuickserviceRuntime> runtime_;
};

}  // namespace

TILL_PLUGIN(OrderQuickservicePlugin, "order_quickservice", "0.1.0")
