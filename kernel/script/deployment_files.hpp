// Reading one deployment's scripts from disk into memory:
//   <root>/<deployment>/upsell/*.lua, <root>/<deployment>/conflict/*.lua,
//   <root>/lib/*.lua
// A snapshot is everything a RuleSet is built from; states load from the
// snapshot, never from disk again, so a version is atomic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "script/lua_sandbox.hpp"
#include "till/sdk/status.hpp"

namespace till::script {

enum class ScriptKind { upsell, conflict, lib };
const char* kind_name(ScriptKind kind) noexcept;

struct ScriptFile {
    ScriptKind kind = ScriptKind::upsell;
    std::string stem;       ///< "combo" for combo.lua (conflict: the record kind)
    std::string path;       ///< absolute path on disk
    ScriptSource source;    ///< display name "scripts/cafe/upsell/combo.lua" and text
    std::uint64_t hash = 0; ///< FNV-1a 64 of the text
};

struct DeploymentSnapshot {
    std::string dir;                 ///< the deployment directory
    std::string name;                ///< its last path component ("cafe")
    std::vector<ScriptFile> upsell;  ///< sorted by file name
    std::vector<ScriptFile> conflict;
    std::vector<ScriptFile> lib;
    std::uint64_t hash = 0;          ///< over every file's name and text

    LibSources lib_sources() const;
};

/// Reads the deployment. Fails when `dir` is not a directory or a file
/// cannot be read; missing upsell/, conflict/ or lib/ folders are empty.
sdk::Result<DeploymentSnapshot> read_deployment(const std::string& dir);

std::uint64_t fnv1a64(std::string_view text, std::uint64_t seed = 14695981039346656037ull) noexcept;

}  // namespace till::script
