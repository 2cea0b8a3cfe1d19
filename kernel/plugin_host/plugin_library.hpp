// Opening one plugin library and checking its C descriptor before any C++
// object crosses. Boost.DLL stays out of this header.
#pragma once

#include <memory>
#include <string>

#include "plugin_host/manifest.hpp"
#include "till/sdk/plugin.hpp"

namespace till::plugin_host {

enum class LoadFailure { none, incompatible, failed_to_load };

/// An open library. Keeps the handle until destroyed; destroy it only after
/// every object made by its code is gone.
class PluginLibrary {
public:
    struct Opened {
        LoadFailure failure = LoadFailure::none;
        std::string reason;                      ///< one line, names the file
        std::unique_ptr<PluginLibrary> library;  ///< set when failure == none
    };

    /// Inspects `manifest.library` without running its code (ELF, entry
    /// symbol), then loads it with RTLD_NOW | RTLD_LOCAL and checks the
    /// descriptor against the kernel's SDK ABI and C++ ABI tag and the
    /// manifest's id and version.
    static Opened open(const Manifest& manifest);

    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    const till_plugin_descriptor& descriptor() const noexcept { return *descriptor_; }
    const std::string& path() const noexcept { return path_; }

private:
    PluginLibrary() = default;
    struct Handle;
    std::unique_ptr<Handle> handle_;
    const till_plugin_descriptor* descriptor_ = nullptr;
    std::string path_;
};

/// The kernel's own SDK ABI as text, e.g. "1.0".
std::string kernel_sdk_abi();

}  // namespace till::plugin_host
