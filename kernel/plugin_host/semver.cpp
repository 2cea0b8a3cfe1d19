#include "plugin_host/semver.hpp"

#include <charconv>
#include <sstream>
#include <vector>

namespace till::plugin_host {
namespace {

bool parse_number(std::string_view text, int& out) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

std::vector<std::string_view> split_spaces(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ') ++i;
        if (i > start) parts.push_back(text.substr(start, i - start));
    }
    return parts;
}

std::optional<bool> comparator_holds(const SemVer& v, std::string_view comp) {
    std::string_view op;
    for (std::string_view candidate : {">=", "<=", ">", "<", "=", "^", "~"}) {
        if (comp.substr(0, candidate.size()) == candidate) {
            op = candidate;
            break;
        }
    }
    auto target = parse_semver(comp.substr(op.size()));
    if (!target) return std::nullopt;
    if (op == ">=") return v >= *target;
    if (op == "<=") return v <= *target;
    if (op == ">") return v > *target;
    if (op == "<") return v < *target;
    if (op == "^") return v.major == target->major && v >= *target;
    if (op == "~") return v.major == target->major && v.minor == target->minor && v >= *target;
    return v == *target;  // "=" or bare version
}

}  // namespace

std::strong_ordering SemVer::operator<=>(const SemVer& other) const {
    if (auto c = major <=> other.major; c != 0) return c;
    if (auto c = minor <=> other.minor; c != 0) return c;
    if (auto c = patch <=> other.patch; c != 0) return c;
    if (prerelease.empty() != other.prerelease.empty())
        return prerelease.empty() ? std::strong_ordering::greater : std::strong_ordering::less;
    return prerelease.compare(other.prerelease) <=> 0;
}

std::string SemVer::to_string() const {
    std::ostringstream s;
    s << major << '.' << minor << '.' << patch;
    if (!prerelease.empty()) s << '-' << prerelease;
    return s.str();
}

std::optional<SemVer> parse_semver(std::string_view text) {
    if (auto plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);
    SemVer v;
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        v.prerelease = std::string(text.substr(dash + 1));
        if (v.prerelease.empty()) return std::nullopt;
        text = text.substr(0, dash);
    }
    auto dot1 = text.find('.');
    if (dot1 == std::string_view::npos) return std::nullopt;
    auto dot2 = text.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos) return std::nullopt;
    if (!parse_number(text.substr(0, dot1), v.major) ||
        !parse_number(text.substr(dot1 + 1, dot2 - dot1 - 1), v.minor) ||
        !parse_number(text.substr(dot2 + 1), v.patch))
        return std::nullopt;
    return v;
}

std::optional<bool> version_satisfies(const SemVer& version, std::string_view range) {
    auto parts = split_spaces(range);
    bool all = true;
    for (auto part : parts) {
        if (part == "*") continue;
        auto holds = comparator_holds(version, part);
        if (!holds) return std::nullopt;
        all = all && *holds;
    }
    return all;
}

bool valid_range(std::string_view range) { return version_satisfies(SemVer{}, range).has_value(); }

}  // namespace till::plugin_host
