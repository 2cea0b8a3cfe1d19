// `tillctl hq ...`: an HQ node's sync administration, straight in the node's
// database (found through its config), so it works whether HQ runs or not:
//
//   tillctl hq token issue STORE --config FILE    new sync token for STORE, printed once on stdout
//   tillctl hq token revoke STORE --config FILE   revoke every live token of STORE
//   tillctl hq token list --config FILE [--json]  tokens (hash prefix, issued, revoked)
//   tillctl hq stores --config FILE [--json]      HQ's stores and what each last sent
//
// Applies the "sync.hq" migrations first (a fresh HQ database gets them).
#pragma once

#include <string>
#include <vector>

namespace till::ctl {

/// `args` are the words after "hq". Exit codes: 0 ok; 1 storage failure or
/// nothing to revoke; 2 usage, invalid config, not an HQ config, bad store id.
int run_hq_command(const std::vector<std::string>& args);

}  // namespace till::ctl
