// `tillctl rules check|test|run`: the merchant's tools for Lua rules. They
// work offline on a deployment folder (scripts/<deployment>); no node needed.
// `tillctl [--url URL] rules status [--json]` shows the rules of a running
// node (the "rules" member of its /api/v1/node).
#pragma once

#include <string>
#include <vector>

namespace till::ctl {

/// `args` are the words after "rules". Exit codes: 0 ok, 1 problems found
/// (check) / a case failed (test) / a rule failed (run), 2 usage or
/// unreadable input.
int run_rules_command(const std::vector<std::string>& args);
/// The same, plus `status`, which asks the node at `url`: exit 0 when the
/// node answered (whatever the rules' state), 1 when it cannot be reached.
int run_rules_command(const std::string& url, const std::vector<std::string>& args);

}  // namespace till::ctl
