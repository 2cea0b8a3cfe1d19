// Start order from `depends`: dependencies first, ties by id; cycles found
// and named.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace till::plugin_host {

struct DependencyOrder {
    std::vector<std::string> order;              ///< every id not in a cycle
    std::map<std::string, std::string> cycles;   ///< id -> "a -> b -> a"
};

/// `graph`: id -> ids it depends on. Dependencies not in `graph` are ignored
/// here (the caller reports them as missing).
DependencyOrder order_by_dependencies(const std::map<std::string, std::vector<std::string>>& graph);

}  // namespace till::plugin_host
