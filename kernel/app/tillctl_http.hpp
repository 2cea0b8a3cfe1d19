// A minimal HTTP GET for tillctl (Poco kept out of tillctl.cpp).
#pragma once

#include <string>

#include "till/sdk/status.hpp"

namespace till::ctl {

struct HttpAnswer {
    int status = 0;
    std::string body;
};

/// GET base_url + path (base_url like "http://127.0.0.1:8080"), timeout 10 s.
sdk::Result<HttpAnswer> http_get(const std::string& base_url, const std::string& path);

}  // namespace till::ctl
