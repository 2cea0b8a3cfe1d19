// `tillctl audit verify --config FILE`: checks the hash chain of a node's
// audit log straight in its database (found through the node config), so
// it works with the node stopped. Only reads.
#pragma once

#include <string>
#include <vector>

namespace till::ctl {

/// `args` are the words after "audit". Prints "OK ..." with the number of
/// entries (exit 0), or the first broken entry (exit 1); storage failures
/// exit 1; usage and config errors exit 2.
int run_audit_command(const std::vector<std::string>& args);

}  // namespace till::ctl
