// Till SDK — the plugin entry point.
//
// A plugin is a shared library with a `plugin.yaml` manifest beside it. It
// exports exactly one symbol, through TILL_PLUGIN(...): a function returning a
// plain C descriptor (`till_plugin_descriptor`). The kernel checks the
// descriptor's sizes and versions before it creates any C++ object.
//
// Minimal plugin:
//
//     #include <till/sdk/plugin.hpp>
//     #include <till/sdk/host.hpp>
//
//     class Hello final : public till::sdk::Plugin {
//     public:
//         till::sdk::Status on_start(till::sdk::Host& host) override {
//             host.logger().info("hello from " + host.node().node_id);
//             return {};
//         }
//     };
//     TILL_PLUGIN(Hello, "hello", "0.1.0")
//
// Lifecycle, each step run once, in this order, from the kernel's main thread:
//   construct (in create())  →  on_register(Registrar&)  →  on_start(Host&)
//   →  running  →  on_stop()  →  destroy.
// The plugin's configuration has already been validated against the schema
// in its manifest before the library is even opened.
//
// Errors: return a failed Status. Exceptions thrown from on_register /
// on_start / on_stop or the constructor are caught inside the plugin by the
// glue below and turned into a failed Status; they never reach the kernel.
#pragma once

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include <boost/dll/alias.hpp>

#include "till/sdk/abi.hpp"
#include "till/sdk/status.hpp"

namespace till::sdk {

class Registrar;
class Host;

/// What an integrator implements. All methods have do-nothing defaults.
class Plugin {
public:
    virtual ~Plugin();

    /// The only moment a plugin may add capabilities (order types, devices,
    /// payment methods, transports, reports), HTTP routes, migrations and
    /// event subscriptions. Do not start threads or open devices here.
    virtual Status on_register(Registrar& registrar);

    /// Start work: the plugin's migrations have been applied, every plugin it
    /// depends on has started. `host` stays valid until on_stop() returns.
    virtual Status on_start(Host& host);

    /// Stop work: join threads, close devices. Called in reverse start order,
    /// only for plugins whose on_start succeeded. Must not throw.
    virtual void on_stop() noexcept;
};

/// What the kernel calls: the exception-free face of a Plugin, implemented by
/// the SDK glue (TILL_PLUGIN) inside the plugin's own library.
class PluginInstance {
public:
    virtual ~PluginInstance();
    virtual Status register_capabilities(Registrar& registrar) noexcept = 0;
    virtual Status start(Host& host) noexcept = 0;
    virtual void stop() noexcept = 0;
};

namespace detail {

/// Runs `f` and turns any exception into a failed Status with code
/// "plugin_exception". Used by the glue so no exception leaves a plugin.
template <class F>
Status guard(const char* step, F&& f) noexcept {
    try {
        return f();
    } catch (const std::exception& e) {
        return Status::failure("plugin_exception", std::string(step) + " threw: " + e.what());
    } catch (...) {
        return Status::failure("plugin_exception", std::string(step) + " threw a non-standard exception");
    }
}

template <class P>
class PluginGlue final : public PluginInstance {
public:
    PluginGlue() : plugin_(new P()) {}
    Status register_capabilities(Registrar& registrar) noexcept override {
        return guard("on_register", [&] { return plugin_->on_register(registrar); });
    }
    Status start(Host& host) noexcept override {
        return guard("on_start", [&] { return plugin_->on_start(host); });
    }
    void stop() noexcept override {
        try {
            plugin_->on_stop();
        } catch (...) {
        }
    }

private:
    std::unique_ptr<P> plugin_;
};

}  // namespace till::sdk::detail
}  // namespace till::sdk

extern "C" {

/// The C descriptor a plugin exports. Fields are only ever appended; the
/// kernel reads `struct_size` first and refuses a descriptor too small for
/// the fields it needs.
struct till_plugin_descriptor {
    std::uint32_t struct_size;     ///< sizeof(till_plugin_descriptor) at build time
    std::uint32_t sdk_abi_major;   ///< TILL_SDK_ABI_MAJOR at build time
    std::uint32_t sdk_abi_minor;   ///< TILL_SDK_ABI_MINOR at build time
    const char* cxx_abi_tag;       ///< TILL_CXX_ABI_TAG at build time
    const char* plugin_id;         ///< must equal the manifest's `id`
    const char* plugin_version;    ///< must equal the manifest's `version`
    /// Creates the plugin object; returns nullptr (and fills `error`, a buffer
    /// of `error_size` bytes) when the constructor throws.
    till::sdk::PluginInstance* (*create)(char* error, std::uint32_t error_size);
    /// Destroys an object made by `create`, inside the plugin's library.
    void (*destroy)(till::sdk::PluginInstance* instance);
};

}  // extern "C"

/// Name of the exported alias the kernel looks up.
#define TILL_PLUGIN_ENTRY_SYMBOL "till_plugin_entry_v1"

/// Declares the plugin class, its id and version (both must match plugin.yaml).
/// Use once per plugin, at namespace scope in one .cpp file.
#define TILL_PLUGIN(PluginClass, plugin_id_literal, version_literal)                              \
    namespace {                                                                                   \
    ::till::sdk::PluginInstance* till_plugin_create_(char* error, std::uint32_t error_size) {     \
        try {                                                                                     \
            return new ::till::sdk::detail::PluginGlue<PluginClass>();                            \
        } catch (const std::exception& e) {                                                       \
            if (error && error_size) {                                                            \
                std::string m = std::string("constructor threw: ") + e.what();                   \
                m.copy(error, error_size - 1);                                                    \
                error[std::min<std::size_t>(m.size(), error_size - 1)] = '\0';                    \
            }                                                                                     \
        } catch (...) {                                                                           \
            if (error && error_size) {                                                            \
                std::string m = "constructor threw a non-standard exception";                     \
                m.copy(error, error_size - 1);                                                    \
                error[std::min<std::size_t>(m.size(), error_size - 1)] = '\0';                    \
            }                                                                                     \
        }                                                                                         \
        return nullptr;                                                                           \
    }                                                                                             \
    void till_plugin_destroy_(::till::sdk::PluginInstance* instance) { delete instance; }         \
    const till_plugin_descriptor till_plugin_descriptor_ = {                                      \
        sizeof(till_plugin_descriptor), TILL_SDK_ABI_MAJOR,  TILL_SDK_ABI_MINOR,                  \
        TILL_CXX_ABI_TAG,               plugin_id_literal,   version_literal,                     \
        &till_plugin_create_,           &till_plugin_destroy_};                                   \
    const till_plugin_descriptor* till_plugin_entry_() { return &till_plugin_descriptor_; }       \
    }                                                                                             \
    BOOST_DLL_ALIAS(till_plugin_entry_, till_plugin_entry_v1)
