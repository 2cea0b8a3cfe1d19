// The rules a caller can break, each refused with the JSON path of the
// offending field ("$.lines[2].discount.percent_bp: must be 0..10000").
#include <string>

#include "domain/pricing/engine.hpp"

namespace till::domain::pricing::detail {

std::string line_path(std::size_t line, const char* field) {
    std::string path = "$.lines[" + std::to_string(line) + "]";
    if (field != nullptr && *field != '\0') path += std::string(".") + field;
    return path;
}

std::string rate_path(std::size_t line, std::size_t rate) {
    return line_path(line, nullptr) + ".rates[" + std::to_string(rate) + "]";
}

namespace {

sdk::Status refuse(const std::string& path, const std::string& message) {
    return sdk::Status::failure("invalid_argument", path + ": " + message);
}

sdk::Status validate_discount(const Discount& discount, const std::string& path) {
    switch (discount.kind) {
        case Discount::Kind::none:
            return {};
        case Discount::Kind::percent:
            if (discount.percent_bp < 0 || discount.percent_bp > kBpPerWhole)
                return refuse(path + ".percent_bp",
                              "must be 0..10000 (basis points), got " + std::to_string(discount.percent_bp));
            return {};
        case Discount::Kind::amount:
            if (discount.amount_minor < 0)
                return refuse(path + ".amount_minor", "must be >= 0, got " + std::to_string(discount.amount_minor));
            return {};
    }
    return refuse(path + ".kind", "unknown discount kind");
}

sdk::Status validate_line(const LineInput& line, std::size_t i) {
    if (line.qty_milli == 0) return refuse(line_path(i, "qty_milli"), "must not be 0");
    if (line.unit_price_minor < 0)
        return refuse(line_path(i, "unit_price_minor"), "must be >= 0, got " + std::to_string(line.unit_price_minor));
    if (static_cast<Int128>(line.unit_price_minor) + line.modifiers_unit_minor < 0)
        return refuse(line_path(i, "modifiers_unit_minor"), "the unit price plus modifiers must be >= 0, got " +
                                                                std::to_string(line.unit_price_minor) + " + " +
                                                                std::to_string(line.modifiers_unit_minor));
    Int128 rates_bp = 0;
    for (std::size_t j = 0; j < line.rates.size(); ++j) {
        const std::int64_t bp = line.rates[j].rate_bp;
        if (bp < 0 || bp > kMaxLineRatesBp)
            return refuse(rate_path(i, j) + ".rate_bp", "must be 0.." + std::to_string(kMaxLineRatesBp) +
                                                            " (basis points), got " + std::to_string(bp));
        rates_bp += bp;
    }
    if (rates_bp > kMaxLineRatesBp)
        return refuse(line_path(i, "rates"),
                      "the line's rates add up to more than " + std::to_string(kMaxLineRatesBp) + " basis points");
    return validate_discount(line.discount, line_path(i, "discount"));
}

}  // namespace

sdk::Status validate(const OrderInput& input) {
    for (std::size_t i = 0; i < input.lines.size(); ++i) {
        if (auto status = validate_line(input.lines[i], i); !status) return status;
    }
    return validate_discount(input.order_discount, "$.order_discount");
}

}  // namespace till::domain::pricing::detail
