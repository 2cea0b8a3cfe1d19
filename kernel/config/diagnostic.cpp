// Diagnostic text, typo suggestions, the process environment lookup.
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "config/schema.hpp"

namespace till::config {

std::string Diagnostic::to_string() const {
    std::string s;
    if (!file.empty()) {
        s = file;
        if (mark.line > 0) {
            s += ":" + std::to_string(mark.line);
            if (mark.col > 0) s += ":" + std::to_string(mark.col);
        }
        s += ": ";
    }
    if (!path.empty()) s += path + ": ";
    s += message;
    return s;
}

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        // getenv is only read here; the kernel never calls setenv.
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
    };
}

namespace {
/// Levenshtein distance where swapping two neighbouring letters also counts
/// as one edit (optimal string alignment): "stroe" is one typo from "store".
/// Letters compare case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    auto same = [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    };
    const std::size_t w = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * w);
    for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
            std::size_t v = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1,
                                      d[(i - 1) * w + j - 1] + cost});
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
                v = std::min(v, d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    return d[a.size() * w + b.size()];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

const char* key_type_name(KeyType type) noexcept {
    switch (type) {
        case KeyType::string: return "string";
        case KeyType::integer: return "integer";
        case KeyType::boolean: return "boolean";
        case KeyType::string_list: return "string_list";
        case KeyType::map: return "map";
    }
    return "unknown";
}

}  // namespace till::config
