// API add-line latency under concurrent terminals: a node::Node in-process on
// 127.0.0.1:0, one keep-alive HTTP connection per terminal, each terminal
// adding lines to its own order (a fresh order every `lines_per_order`).
#pragma once

#include <string>
#include <vector>

namespace till::bench {

struct ApiLatencyRun {
    int terminals = 0;
    int requests = 0;          ///< add-line requests in total
    double seconds = 0;
    std::vector<double> add_line_ms;
};

/// Throws std::runtime_error when the node does not start or a request is refused.
ApiLatencyRun run_api_add_line(const std::string& config_path, const std::string& data_dir, int terminals,
                               int requests_per_terminal, int lines_per_order);

}  // namespace till::bench
