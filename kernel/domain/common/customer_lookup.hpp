// What the order engine needs from the customer directory: does a customer
// exist, and is it exempt from tax. Implemented by the customers module.
#pragma once

#include <optional>
#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain {

struct CustomerView {
    std::string customer_id;
    std::string display_name;
    bool tax_exempt = false;
    std::string tax_exempt_reference;  ///< certificate number shown on receipts
    bool active = true;
};

class CustomerLookup {
public:
    virtual ~CustomerLookup();
    /// nullopt when there is no such customer; an Error only when storage fails.
    virtual sdk::Result<std::optional<CustomerView>> find_customer(sdk::SqlExecutor& tx,
                                                                   const std::string& customer_id) = 0;
};

}  // namespace till::domain
