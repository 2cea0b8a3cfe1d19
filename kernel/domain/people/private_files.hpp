// Small secret files under the data dir (the token key, the first admin's
// PIN): created owner-only (0600, folder 0700), whole or not at all.
#pragma once

#include <optional>
#include <string>

#include "till/sdk/status.hpp"

namespace till::domain::people {

/// The file's content, or nothing when it does not exist or cannot be read.
std::optional<std::string> read_small_file(const std::string& path);
/// Creates `dir` (and parents) with mode 0700 when missing.
sdk::Status make_private_dir(const std::string& dir);
/// Creates `path` with mode 0600 holding `content`, atomically (a reader sees
/// the whole content or no file). Fails (code "io_error", or "conflict" when
/// the file already exists) without replacing an existing file.
sdk::Status create_private_file(const std::string& path, const std::string& content);

}  // namespace till::domain::people
