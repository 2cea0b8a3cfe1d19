// What the sales benchmarks share: a node config with the bundled sales
// plugins, a way to send an API request (in-process through the router, or
// over HTTP), and the store every run starts from (a cashier, five stocked
// products, the register open).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::bench {

struct ApiReply {
    int status = 0;
    std::string body;
    sdk::Value json;
};

/// Sends one request: method ("GET", "POST", ...), path, JSON body ("" for
/// none), bearer token ("" for none).
using Send = std::function<ApiReply(const std::string& method, const std::string& path, const std::string& body,
                                    const std::string& token)>;

/// A store node's config: data in `data_dir`, the plugins built into
/// `plugin_dir`, logs at warn, fast PIN hashing.
std::string sales_node_config(const std::string& data_dir, const std::string& plugin_dir);

struct PreparedStore {
    std::string admin_token;
    std::string cashier_token;  ///< alice at T1
    std::string cash_method;
    std::vector<std::string> skus;  ///< five stocked products
};

/// Users, catalog, stock and the open register at T1, through the API.
/// Throws std::runtime_error naming the step that failed.
PreparedStore prepare_store(const Send& send, const std::string& data_dir);

/// A PIN login; throws when refused.
std::string login(const Send& send, const std::string& user, const std::string& pin, const std::string& terminal);

/// Throws unless the reply has `status`.
const ApiReply& expect(const ApiReply& reply, int status, const std::string& what);

}  // namespace till::bench
