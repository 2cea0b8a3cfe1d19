#include "plugin_host/plugin_library.hpp"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <vector>

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>

#include "plugin_host/elf_inspect.hpp"

namespace till::plugin_host {
namespace {

constexpr std::size_t kDescriptorMinSize = offsetof(till_plugin_descriptor, destroy) + sizeof(void*);

std::string abi_text(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

PluginLibrary::Opened fail(LoadFailure failure, std::string reason) {
    PluginLibrary::Opened result;
    result.failure = failure;
    result.reason = std::move(reason);
    return result;
}

}  // namespace

struct PluginLibrary::Handle {
    boost::dll::shared_library library;
};

std::string kernel_sdk_abi() { return abi_text(TILL_SDK_ABI_MAJOR, TILL_SDK_ABI_MINOR); }

PluginLibrary::Opened PluginLibrary::open(const Manifest& manifest) {
    const std::string& path = manifest.library;
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) {
        return fail(LoadFailure::failed_to_load, path + ": file not found");
    }
    // The manifest's promise first: no need to open a library built for
    // another ABI.
    if (manifest.sdk_abi_major != TILL_SDK_ABI_MAJOR || manifest.sdk_abi_minor > TILL_SDK_ABI_MINOR) {
        return fail(LoadFailure::incompatible,
                    manifest.file + ": built for SDK ABI " +
                        abi_text(manifest.sdk_abi_major, manifest.sdk_abi_minor) + ", this kernel provides " +
                        kernel_sdk_abi());
    }
    // Checked without running any of the library's code, and without
    // trusting its tables (a corrupt file must not crash the node).
    auto elf = inspect_elf(path, TILL_PLUGIN_ENTRY_SYMBOL);
    switch (elf.verdict) {
        case ElfVerdict::plugin: break;
        case ElfVerdict::no_entry:
            return fail(LoadFailure::incompatible,
                        path + ": no " TILL_PLUGIN_ENTRY_SYMBOL " entry symbol (not a Till plugin; use TILL_PLUGIN)");
        case ElfVerdict::unsupported:
            return fail(LoadFailure::incompatible, path + ": " + elf.detail);
        case ElfVerdict::not_elf:
        case ElfVerdict::corrupt:
        case ElfVerdict::unreadable:
            return fail(LoadFailure::failed_to_load, path + ": " + elf.detail);
    }

    std::unique_ptr<PluginLibrary> lib(new PluginLibrary());
    lib->path_ = path;
    lib->handle_ = std::make_unique<Handle>();
    try {
        // RTLD_NOW: an undefined symbol fails here, not at the first call.
        lib->handle_->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        // The errno Boost reports is meaningless (PITFALLS); the reason is in what().
        return fail(LoadFailure::failed_to_load, path + ": cannot load: " + e.what());
    }
    // Never unloaded while the process runs, not even when refused below:
    // its static initialisers have run and may have left hooks behind.
    // RTLD_NOLOAD | RTLD_NODELETE marks the loaded library so that dlclose
    // (Boost's, at the end) keeps it mapped.
    if (void* pin = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE)) ::dlclose(pin);
    try {
        if (!lib->handle_->library.has(TILL_PLUGIN_ENTRY_SYMBOL)) {
            return fail(LoadFailure::incompatible, path + ": no " TILL_PLUGIN_ENTRY_SYMBOL " entry symbol");
        }
        auto& entry = lib->handle_->library.get_alias<const till_plugin_descriptor*()>(TILL_PLUGIN_ENTRY_SYMBOL);
        lib->descriptor_ = entry();
    } catch (const std::exception& e) {
        return fail(LoadFailure::failed_to_load, path + ": cannot read the entry symbol: " + e.what());
    }

    const till_plugin_descriptor* d = lib->descriptor_;
    if (!d) return fail(LoadFailure::incompatible, path + ": entry returned no descriptor");
    if (d->struct_size < kDescriptorMinSize) {
        return fail(LoadFailure::incompatible, path + ": descriptor too small (" + std::to_string(d->struct_size) +
                                                   " bytes, need " + std::to_string(kDescriptorMinSize) + ")");
    }
    if (d->sdk_abi_major != TILL_SDK_ABI_MAJOR) {
        return fail(LoadFailure::incompatible, path + ": built for SDK ABI " +
                                                   abi_text(d->sdk_abi_major, d->sdk_abi_minor) +
                                                   ", this kernel provides " + kernel_sdk_abi() +
                                                   " (major versions differ)");
    }
    if (d->sdk_abi_minor > TILL_SDK_ABI_MINOR) {
        return fail(LoadFailure::incompatible, path + ": built for SDK ABI " +
                                                   abi_text(d->sdk_abi_major, d->sdk_abi_minor) +
                                                   ", newer than this kernel's " + kernel_sdk_abi());
    }
    std::string tag = d->cxx_abi_tag ? d->cxx_abi_tag : "";
    if (tag != TILL_CXX_ABI_TAG) {
        return fail(LoadFailure::incompatible, path + ": C++ ABI tag \"" + tag + "\" differs from the kernel's \"" +
                                                   TILL_CXX_ABI_TAG + "\" (rebuild with the same toolchain)");
    }
    std::string id = d->plugin_id ? d->plugin_id : "";
    if (id != manifest.id) {
        return fail(LoadFailure::incompatible,
                    path + ": library says plugin id \"" + id + "\", manifest says \"" + manifest.id + "\"");
    }
    std::string version = d->plugin_version ? d->plugin_version : "";
    if (version != manifest.version.to_string()) {
        return fail(LoadFailure::incompatible, path + ": library says version " + version + ", manifest says " +
                                                   manifest.version.to_string());
    }
    if (!d->create || !d->destroy) {
        return fail(LoadFailure::incompatible, path + ": descriptor has no create/destroy functions");
    }
    Opened ok;
    ok.library = std::move(lib);
    return ok;
}

PluginLibrary::~PluginLibrary() = default;

}  // namespace till::plugin_host
