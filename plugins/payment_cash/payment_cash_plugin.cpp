// payment_cash: the plugin glue. Registers the `cash` payment method and the
// migration of its request table; on start, points the method at storage and
// starts the drawer opener.
#include <memory>
#include <string>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "cash_ledger.hpp"
#include "cash_method.hpp"
#include "drawer_opener.hpp"

namespace {

using namespace till::sdk;
using till::payment_cash::CashMethod;
using till::payment_cash::DrawerOpener;

class PaymentCashPlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        const Value& config = registrar.config();  // validated, defaults filled
        drawer_device_id_ = config["drawer_device_id"].as_string("");
        std::string name = config["display_name"].as_string("Cash");
        if (name.empty()) return Status::failure("invalid_argument", "payment_cash.display_name is empty");
        method_ = std::make_shared<CashMethod>(name);
        if (auto s = registrar.add_migration(till::payment_cash::cash_migration()); !s.ok()) return s;
        return registrar.add_payment_method(method_);
    }

    Status on_start(Host& host) override {
        auto drawer = std::make_shared<DrawerOpener>(host.registry(), host.logger(), drawer_device_id_);
        method_->attach(host.storage(), host.clock(), drawer);
        host.logger().info(drawer_device_id_.empty() ? std::string("cash drawer: the first one registered, if any")
                                                     : "cash drawer: " + drawer_device_id_);
        return {};
    }

    void on_stop() noexcept override {
        if (method_) method_->detach();
    }

private:
    std::string drawer_device_id_;
    std::shared_ptr<CashMethod> method_;
};

}  // namespace

TILL_PLUGIN(PaymentCashPlugin, "payment_cash", "0.1.0")
