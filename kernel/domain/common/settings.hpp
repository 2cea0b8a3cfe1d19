// The deployment's sales and auth settings: the `sales:` and `auth:` sections
// of the node config (schema in kernel/config/kernel_schema.cpp, reference in
// docs/configuration.md), as typed structs for the domain modules.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::domain {

enum class TaxMode { exclusive, inclusive };      ///< prices exclude / include tax
enum class RoundingMode { half_up, half_even };
enum class RoundingLevel { per_line, per_invoice };

struct SalesSettings {
    std::string currency = "EUR";                ///< ISO 4217
    TaxMode tax_mode = TaxMode::inclusive;
    RoundingMode rounding_mode = RoundingMode::half_up;
    RoundingLevel rounding_level = RoundingLevel::per_line;
    std::int64_t cash_rounding_minor = 0;        ///< 0 = none; 5 = round cash totals to 0.05
    std::int64_t discount_limit_bp = 2000;       ///< a larger discount needs "discount.over_limit"
    std::int64_t refund_limit_minor = 5000;      ///< a larger refund needs "refund.over_limit"
    std::vector<std::string> return_reasons_restock;     ///< reason codes whose goods go back to stock
    std::vector<std::string> return_reasons_no_restock;  ///< reason codes whose goods do not
    std::vector<std::string> cash_movement_reasons;
    std::vector<std::string> stock_adjustment_reasons;

    bool is_return_reason(const std::string& code) const;
    bool restocks(const std::string& code) const;
};

struct AuthSettings {
    std::string jwt_secret;                      ///< "" = a random key kept in <data_dir>/auth/jwt.key
    std::int64_t token_ttl_s = 900;
    std::int64_t override_ttl_s = 120;
    std::int64_t pin_kdf_iterations = 100000;    ///< PBKDF2-HMAC-SHA256
    std::int64_t lockout_attempts = 5;           ///< failed PINs in a row before lockout
    std::int64_t lockout_s = 300;
    /// role → actions it may perform (see domain/common/auth.hpp for action names).
    std::map<std::string, std::vector<std::string>> permissions;
};

/// From the validated config sections (maps with defaults applied).
SalesSettings sales_settings_from(const sdk::Value& section);
AuthSettings auth_settings_from(const sdk::Value& section);

}  // namespace till::domain
