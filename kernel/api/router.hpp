// Route table for the API server: the kernel's routes and those plugins add.
// Patterns are absolute paths whose segments may be {name} placeholders.
// A {name} matches one non-empty segment (percent-decoded into params); a
// literal segment wins over a placeholder when both match. Matching is strict
// about trailing slashes: "/x/" does not match "/x".
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "till/sdk/http.hpp"
#include "till/sdk/status.hpp"

namespace till::api {

const char* method_name(sdk::HttpMethod method) noexcept;

struct RouteInfo {
    sdk::HttpMethod method;
    std::string pattern;
    std::string owner;  ///< "kernel" or a plugin id
};

class Router {
public:
    /// Fails (code "conflict") when the same method + pattern shape is taken.
    sdk::Status add(sdk::HttpMethod method, std::string pattern, sdk::RouteHandler handler,
                    std::string owner);
    /// Drops every route of `owner` (a plugin that stops or failed to start).
    void remove_owner(const std::string& owner);

    enum class MatchKind { found, not_found, method_not_allowed };
    struct Match {
        MatchKind kind = MatchKind::not_found;
        sdk::RouteHandler handler;  ///< copy: stays valid if the route is removed meanwhile
        std::map<std::string, std::string> params;
        std::string owner;
        std::vector<std::string> allowed_methods;  ///< for 405
    };
    Match match(sdk::HttpMethod method, const std::string& path) const;
    std::vector<RouteInfo> routes() const;

private:
    struct Entry {
        RouteInfo info;
        std::vector<std::string> segments;
        sdk::RouteHandler handler;
    };
    mutable std::mutex mutex_;
    std::vector<Entry> entries_;
};

}  // namespace till::api
