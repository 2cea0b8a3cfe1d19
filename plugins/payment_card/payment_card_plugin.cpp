// payment_card: the plugin glue. Reads the config, registers the card
// payment method and the totals route; on start, gives the method its logger.
#include <memory>
#include <string>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "card_method.hpp"
#include "totals_route.hpp"

namespace {

using namespace till::sdk;
using till::payment_card::CardMethod;

class PaymentCardPlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        auto settings = till::payment_card::card_settings(registrar.config());
        if (!settings) return settings.status();
        method_ = std::make_shared<CardMethod>(*settings);
        if (auto s = registrar.add_route(HttpMethod::get, till::payment_card::kTotalsPath,
                                         till::payment_card::totals_route(method_));
            !s.ok())
            return s;
        return registrar.add_payment_method(method_);
    }

    Status on_start(Host& host) override {
        method_->attach(host.logger());
        const auto& s = method_->settings();
        host.logger().info("card terminal " + (s.terminal_id.empty() ? std::string() : s.terminal_id + " ") + "at " +
                           s.host + ":" + std::to_string(s.port) + " as payment method \"" + s.method_id + "\"");
        return {};
    }

    void on_stop() noexcept override {
        if (method_) method_->detach();
    }

private:
    std::shared_ptr<CardMethod> method_;
};

}  // namespace

TILL_PLUGIN(PaymentCardPlugin, "payment_card", "0.1.0")
