// `tillctl demo load`: fills a freshly started store node with the demo
// users and the demo catalog, through the public API only.
#pragma once

#include <string>
#include <vector>

namespace till::ctl {

/// args after "demo": ["load", "--data-dir", DIR, ("--catalog-dir", DIR)?].
/// Returns the process exit code (0 ok, 1 failure, 2 usage).
int run_demo_command(const std::string& base_url, const std::vector<std::string>& args);

}  // namespace till::ctl
