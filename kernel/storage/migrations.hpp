// Schema migrations per module ("kernel" or a plugin id), recorded in
// schema_migrations(module, version, description, applied_utc_ms).
#pragma once

#include <string>
#include <vector>

#include "till/sdk/storage.hpp"

namespace till::storage {

/// Applies the migrations of `module` newer than its recorded version, each
/// in its own transaction (statement text per the storage's dialect). Fails
/// without touching anything when the database records a version newer than
/// the newest migration given ("database is newer than the code"), or when
/// versions are not 1, 2, 3, ... in order.
sdk::Status apply_migrations(sdk::Storage& storage, const std::string& module,
                             const std::vector<sdk::Migration>& migrations);

/// Highest applied version of `module`, 0 when none.
sdk::Result<int> applied_version(sdk::Storage& storage, const std::string& module);

/// The kernel's own schema.
const std::vector<sdk::Migration>& kernel_migrations();

}  // namespace till::storage
