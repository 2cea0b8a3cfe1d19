// A store node assembled in-process the way node::Node does it (config,
// storage, kernel migrations, event bus, plugin host, the domain services,
// plugins), without the HTTP server: requests go straight to the route
// handlers through the router, so a benchmark measures the domain and the
// storage, not sockets.
#pragma once

#include <memory>
#include <string>

#include "sales_fixture.hpp"

namespace till::bench {

class StoreRig {
public:
    /// Throws std::runtime_error when the node cannot be assembled.
    static std::unique_ptr<StoreRig> start(const std::string& config_path);
    ~StoreRig();  ///< stops plugins, then releases everything in reverse
    StoreRig(const StoreRig&) = delete;
    StoreRig& operator=(const StoreRig&) = delete;

    /// Sends a request to the matching route handler (no query strings).
    ApiReply send(const std::string& method, const std::string& path, const std::string& body,
                  const std::string& token);
    Send sender() {
        return [this](const std::string& m, const std::string& p, const std::string& b, const std::string& t) {
            return send(m, p, b, t);
        };
    }
    const std::string& data_dir() const;

private:
    StoreRig();
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace till::bench
