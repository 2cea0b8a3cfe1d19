// order_retail: the plugin glue. Reads the config and registers the
// `retail` order type.
#include <memory>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "retail_order_type.hpp"

namespace {

using namespace till::sdk;
using till::order_retail::RetailOptions;
using till::order_retail::RetailOrderType;

class OrderRetailPlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        RetailOptions options;
        options.require_customer_for_returns =
            registrar.config()["require_customer_for_returns"].as_bool(options.require_customer_for_returns);
        return registrar.add_order_type(std::make_shared<RetailOrderType>(options));
    }
};

}  // namespace

TILL_PLUGIN(OrderRetailPlugin, "order_retail", "0.1.0")
