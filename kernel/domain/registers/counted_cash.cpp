// Validation of a drawer count (POST .../sessions/current/close "counted").
#include <map>
#include <string>

#include "domain/common/body_reader.hpp"
#include "domain/registers/register_service.hpp"

namespace till::domain {

namespace {
constexpr std::int64_t kMaxDenominationMinor = 100'000'000;  // bounds keep the sum far from int64 overflow
constexpr std::int64_t kMaxCount = 10'000'000;
}  // namespace

sdk::Status validate_counted(const std::vector<CountedDenomination>& counted) {
    if (counted.size() > 1000) return invalid_field("$.counted", "has more than 1000 items");
    std::map<std::int64_t, std::size_t> first_index;
    for (std::size_t i = 0; i < counted.size(); ++i) {
        const std::string at = "$.counted[" + std::to_string(i) + "]";
        const auto& c = counted[i];
        if (c.denomination_minor < 1)
            return invalid_field(at + ".denomination_minor",
                                 "must be at least 1, got " + std::to_string(c.denomination_minor));
        if (c.denomination_minor > kMaxDenominationMinor)
            return invalid_field(at + ".denomination_minor",
                                 "must be at most " + std::to_string(kMaxDenominationMinor) + ", got " +
                                     std::to_string(c.denomination_minor));
        if (c.count < 0) return invalid_field(at + ".count", "must be at least 0, got " + std::to_string(c.count));
        if (c.count > kMaxCount)
            return invalid_field(at + ".count", "must be at most " + std::to_string(kMaxCount) + ", got " +
                                                    std::to_string(c.count));
        auto [it, fresh] = first_index.emplace(c.denomination_minor, i);
        if (!fresh)
            return invalid_field(at + ".denomination_minor",
                                 "denomination " + std::to_string(c.denomination_minor) + " is already counted at $.counted[" +
                                     std::to_string(it->second) + "]");
    }
    return {};
}

std::int64_t counted_total_minor(const std::vector<CountedDenomination>& counted) {
    std::int64_t total = 0;
    for (const auto& c : counted) total += c.denomination_minor * c.count;
    return total;
}

}  // namespace till::domain
