#include "api/router.hpp"

#include <algorithm>

#include "api/path_util.hpp"

namespace till::api {

const char* method_name(sdk::HttpMethod method) noexcept {
    switch (method) {
        case sdk::HttpMethod::get: return "GET";
        case sdk::HttpMethod::post: return "POST";
        case sdk::HttpMethod::put: return "PUT";
        case sdk::HttpMethod::patch: return "PATCH";
        case sdk::HttpMethod::del: return "DELETE";
    }
    return "?";
}

namespace {

bool is_placeholder(const std::string& segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Same shape: equal literals and placeholders at the same positions.
bool same_shape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        bool pa = is_placeholder(a[i]), pb = is_placeholder(b[i]);
        if (pa != pb) return false;
        if (!pa && a[i] != b[i]) return false;
    }
    return true;
}

// Matches raw (still percent-encoded) path segments against a pattern; fills
// decoded params. Returns false on mismatch.
bool match_segments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                    std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_placeholder(pattern[i])) {
            if (path[i].empty()) return false;
            params[pattern[i].substr(1, pattern[i].size() - 2)] = percent_decode(path[i]);
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

// True when `a` is more specific than `b`: at the first position where they
// differ in kind, `a` has the literal.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        bool pa = is_placeholder(a[i]), pb = is_placeholder(b[i]);
        if (pa != pb) return !pa;
    }
    return false;
}

sdk::Status validate_pattern(const std::string& pattern, const std::vector<std::string>& segments) {
    if (pattern.empty() || pattern.front() != '/')
        return sdk::Status::failure("invalid_argument",
                                    "route pattern '" + pattern + "' must start with '/'");
    std::vector<std::string> names;
    for (const auto& seg : segments) {
        bool has_brace = seg.find('{') != std::string::npos || seg.find('}') != std::string::npos;
        if (!has_brace) continue;
        if (!is_placeholder(seg) || seg.size() == 2 ||
            seg.find_first_of("{}/", 1) != seg.size() - 1)
            return sdk::Status::failure("invalid_argument",
                                        "route pattern '" + pattern + "': segment '" + seg +
                                            "' must be a literal or a whole {name}");
        std::string name = seg.substr(1, seg.size() - 2);
        if (std::find(names.begin(), names.end(), name) != names.end())
            return sdk::Status::failure("invalid_argument", "route pattern '" + pattern +
                                                                "' repeats placeholder {" + name +
                                                                "}");
        names.push_back(name);
    }
    return {};
}

}  // namespace

sdk::Status Router::add(sdk::HttpMethod method, std::string pattern, sdk::RouteHandler handler,
                        std::string owner) {
    std::vector<std::string> segments = split_path(pattern);
    if (auto st = validate_pattern(pattern, segments); !st) return st;
    if (!handler)
        return sdk::Status::failure("invalid_argument",
                                    "route " + std::string(method_name(method)) + " " + pattern +
                                        " has no handler");
    std::lock_guard lock(mutex_);
    for (const auto& e : entries_) {
        if (e.info.method == method && same_shape(e.segments, segments))
            return sdk::Status::failure(
                "conflict", std::string(method_name(method)) + " " + pattern + " (asked by '" +
                                owner + "') conflicts with " + e.info.pattern + " held by '" +
                                e.info.owner + "'");
    }
    entries_.push_back(Entry{RouteInfo{method, std::move(pattern), std::move(owner)},
                             std::move(segments), std::move(handler)});
    return {};
}

void Router::remove_owner(const std::string& owner) {
    std::lock_guard lock(mutex_);
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& e) { return e.info.owner == owner; }),
                   entries_.end());
}

Router::Match Router::match(sdk::HttpMethod method, const std::string& path) const {
    Match result;
    if (path.empty() || path.front() != '/') return result;
    std::vector<std::string> segments = split_path(path);
    std::lock_guard lock(mutex_);
    const Entry* best = nullptr;
    std::map<std::string, std::string> best_params;
    for (const auto& e : entries_) {
        std::map<std::string, std::string> params;
        if (!match_segments(e.segments, segments, params)) continue;
        const char* name = method_name(e.info.method);
        if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), name) ==
            result.allowed_methods.end())
            result.allowed_methods.push_back(name);
        if (e.info.method != method) continue;
        if (!best || more_specific(e.segments, best->segments)) {
            best = &e;
            best_params = std::move(params);
        }
    }
    if (best) {
        result.kind = MatchKind::found;
        result.handler = best->handler;
        result.params = std::move(best_params);
        result.owner = best->info.owner;
    } else if (!result.allowed_methods.empty()) {
        result.kind = MatchKind::method_not_allowed;
    }
    return result;
}

std::vector<RouteInfo> Router::routes() const {
    std::lock_guard lock(mutex_);
    std::vector<RouteInfo> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_) out.push_back(e.info);
    return out;
}

}  // namespace till::api
