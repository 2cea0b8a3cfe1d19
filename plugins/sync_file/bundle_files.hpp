// sync_file: the file operations bundles need — atomic replacement (temp,
// fsync, rename, fsync of the folder), whole-file reads, listing bundles and
// moving a handled bundle aside with a reason.
#pragma once

#include <string>
#include <vector>

#include <till/sdk/status.hpp>

namespace till::sync_file {

/// Writes `bytes` to `path` so a reader (or a power cut) sees the old file or
/// the new one, never a mix. Error "not_found" when the folder is missing,
/// "io_error" otherwise.
sdk::Status write_file_atomically(const std::string& path, const std::string& bytes);

/// Error "io_error" when it cannot be read.
sdk::Result<std::string> read_whole_file(const std::string& path);

/// Regular files in `dir` (not sub-folders) whose names end in .till-bundle,
/// sorted by name. Error "not_found" when `dir` does not exist.
sdk::Result<std::vector<std::string>> list_bundles(const std::string& dir);

/// Moves `path` into `dir/<sub>/` (created) under its name plus
/// ".<stamp_ms>", and, when `reason` is not empty, writes it beside as
/// "<that name>.reason". Returns the new path.
sdk::Result<std::string> move_aside(const std::string& path, const std::string& sub, std::int64_t stamp_ms,
                                    const std::string& reason);

}  // namespace till::sync_file
