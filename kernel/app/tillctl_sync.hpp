// `tillctl [--url URL] sync status|push|pull [--json] [AUTH]`: the store's
// sync engine as GET /api/v1/sync/status, POST /api/v1/sync/push|pull show it
// (docs/sync.md, "Status"). The routes need a user with sync.view (status) or
// sync.manage (push, pull); AUTH is one of
//   --token JWT                 a session token (default: $TILL_TOKEN)
//   --user NAME --pin PIN       log in (PIN default: $TILL_PIN)
//   --data-dir DIR              log in as admin with DIR/auth/initial-admin-pin
#pragma once

#include <string>
#include <vector>

namespace till::ctl {

/// `args` are the words after "sync". Exit codes: 0 the node answered (the
/// status is printed whatever its state), 1 node unreachable, login refused
/// or an error answer, 2 usage.
int run_sync_command(const std::string& url, const std::vector<std::string>& args);

}  // namespace till::ctl
