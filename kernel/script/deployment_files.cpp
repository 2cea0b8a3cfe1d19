#include "script/deployment_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace till::script {

namespace fs = std::filesystem;

const char* kind_name(ScriptKind kind) noexcept {
    switch (kind) {
    case ScriptKind::upsell: return "upsell";
    case ScriptKind::conflict: return "conflict";
    case ScriptKind::lib: return "lib";
    }
    return "?";
}

std::uint64_t fnv1a64(std::string_view text, std::uint64_t seed) noexcept {
    std::uint64_t h = seed;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

LibSources DeploymentSnapshot::lib_sources() const {
    LibSources out;
    for (const auto& f : lib) out.emplace(f.stem, f.source);
    return out;
}

namespace {

sdk::Status read_folder(const fs::path& folder, const std::string& display_prefix, ScriptKind kind,
                        std::vector<ScriptFile>& out) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return {};
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        if (entry.path().extension() != ".lua") continue;
        if (!entry.is_regular_file(ec)) continue;
        paths.push_back(entry.path());
    }
    if (ec) return sdk::Status::failure("io_error", folder.string() + ": " + ec.message());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
        std::ifstream in(p, std::ios::binary);
        if (!in) return sdk::Status::failure("io_error", p.string() + ": cannot read");
        std::ostringstream text;
        text << in.rdbuf();
        ScriptFile file;
        file.kind = kind;
        file.stem = p.stem().string();
        file.path = p.string();
        file.source.display_name = display_prefix + p.filename().string();
        file.source.text = text.str();
        file.hash = fnv1a64(file.source.text);
        out.push_back(std::move(file));
    }
    return {};
}

}  // namespace

sdk::Result<DeploymentSnapshot> read_deployment(const std::string& dir) {
    std::error_code ec;
    fs::path deployment = fs::absolute(fs::path(dir), ec).lexically_normal();
    if (deployment.filename().empty()) deployment = deployment.parent_path();
    if (!fs::is_directory(deployment, ec))
        return sdk::Error{"not_found", dir + ": not a directory (expected scripts/<deployment>/)"};
    DeploymentSnapshot snap;
    snap.dir = deployment.string();
    snap.name = deployment.filename().string();
    fs::path root = deployment.parent_path();
    std::string root_name = root.filename().string();
    std::string prefix = (root_name.empty() ? "" : root_name + "/") + snap.name + "/";
    std::string lib_prefix = (root_name.empty() ? "" : root_name + "/") + "lib/";
    for (auto [folder, kind] : {std::pair{"upsell", ScriptKind::upsell}, std::pair{"conflict", ScriptKind::conflict}}) {
        auto& list = kind == ScriptKind::upsell ? snap.upsell : snap.conflict;
        if (auto st = read_folder(deployment / folder, prefix + folder + "/", kind, list); !st) return st.error();
    }
    if (auto st = read_folder(root / "lib", lib_prefix, ScriptKind::lib, snap.lib); !st) return st.error();
    std::uint64_t h = fnv1a64(snap.dir);
    for (const auto* list : {&snap.upsell, &snap.conflict, &snap.lib})
        for (const auto& f : *list) {
            h = fnv1a64(f.source.display_name, h);
            h = fnv1a64(f.source.text, h);
        }
    snap.hash = h;
    return snap;
}

}  // namespace till::script
