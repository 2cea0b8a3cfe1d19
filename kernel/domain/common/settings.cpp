#include "domain/common/settings.hpp"

#include <algorithm>

namespace till::domain {

namespace {
std::vector<std::string> strings(const sdk::Value& v) {
    std::vector<std::string> out;
    for (const auto& item : v.as_list()) out.push_back(item.as_string());
    return out;
}
bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}
}  // namespace

bool SalesSettings::is_return_reason(const std::string& code) const {
    return contains(return_reasons_restock, code) || contains(return_reasons_no_restock, code);
}

bool SalesSettings::restocks(const std::string& code) const { return contains(return_reasons_restock, code); }

SalesSettings sales_settings_from(const sdk::Value& s) {
    SalesSettings out;
    out.currency = s["currency"].as_string(out.currency);
    out.tax_mode = s["tax_mode"].as_string() == "exclusive" ? TaxMode::exclusive : TaxMode::inclusive;
    out.rounding_mode = s["rounding_mode"].as_string() == "half_even" ? RoundingMode::half_even : RoundingMode::half_up;
    out.rounding_level = s["rounding_level"].as_string() == "invoice" ? RoundingLevel::per_invoice : RoundingLevel::per_line;
    out.cash_rounding_minor = s["cash_rounding_minor"].as_int(0);
    out.discount_limit_bp = s["discount_limit_bp"].as_int(out.discount_limit_bp);
    out.refund_limit_minor = s["refund_limit_minor"].as_int(out.refund_limit_minor);
    out.return_reasons_restock = strings(s["return_reasons_restock"]);
    out.return_reasons_no_restock = strings(s["return_reasons_no_restock"]);
    out.cash_movement_reasons = strings(s["cash_movement_reasons"]);
    out.stock_adjustment_reasons = strings(s["stock_adjustment_reasons"]);
    return out;
}

AuthSettings auth_settings_from(const sdk::Value& s) {
    AuthSettings out;
    out.jwt_secret = s["jwt_secret"].as_string();
    out.token_ttl_s = s["token_ttl_s"].as_int(out.token_ttl_s);
    out.override_ttl_s = s["override_ttl_s"].as_int(out.override_ttl_s);
    out.pin_kdf_iterations = s["pin_kdf_iterations"].as_int(out.pin_kdf_iterations);
    out.lockout_attempts = s["lockout_attempts"].as_int(out.lockout_attempts);
    out.lockout_s = s["lockout_s"].as_int(out.lockout_s);
    for (const auto& [role, actions] : s["permissions"].as_map()) out.permissions[role] = strings(actions);
    return out;
}

}  // namespace till::domain
