// Minimal HTTP calls for tillctl (Poco kept out of tillctl.cpp).
#pragma once

#include <map>
#include <string>

#include "till/sdk/status.hpp"

namespace till::ctl {

struct HttpAnswer {
    int status = 0;
    std::string body;
};

/// GET base_url + path (base_url like "http://127.0.0.1:8080"), timeout 10 s.
sdk::Result<HttpAnswer> http_get(const std::string& base_url, const std::string& path);

/// Any method, with a body (sent when not empty, or for POST/PUT/PATCH) and
/// extra headers ("Authorization", "Content-Type" — default
/// application/json). Timeout 30 s.
sdk::Result<HttpAnswer> http_call(const std::string& base_url, const std::string& method, const std::string& path,
                                  const std::string& body = {},
                                  const std::map<std::string, std::string>& headers = {});

}  // namespace till::ctl
