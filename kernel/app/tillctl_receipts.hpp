// `tillctl receipts check DIR` and `tillctl receipts render DIR KIND --data
// FILE.json`: the merchant's tools for receipt templates. Offline: they read
// a deployment's receipts folder (scripts/<deployment>/receipts, or that
// deployment folder itself); no node needed.
#pragma once

#include <string>
#include <vector>

namespace till::ctl {

/// `args` are the words after "receipts". Exit codes: 0 ok, 1 problems found
/// (every one printed as file:line:col: message), 2 usage or unreadable input.
int run_receipts_command(const std::vector<std::string>& args);

}  // namespace till::ctl
