// A bounds-checked look at a plugin library before dlopen runs any of its
// code: is it an ELF shared object for this machine, are its headers and
// symbol tables inside the file, and does it export the entry symbol.
// (Boost.DLL's library_info trusts the file and crashes on a corrupt one.)
#pragma once

#include <string>
#include <string_view>

namespace till::plugin_host {

enum class ElfVerdict {
    plugin,       ///< well-formed, exports the entry symbol
    no_entry,     ///< well-formed, but no entry symbol
    not_elf,      ///< no ELF magic
    unsupported,  ///< ELF, but not a 64-bit little-endian shared object for this machine
    corrupt,      ///< headers or tables point outside the file
    unreadable,   ///< cannot be read
};

struct ElfReport {
    ElfVerdict verdict = ElfVerdict::unreadable;
    std::string detail;  ///< one line, for the plugin's reason
};

ElfReport inspect_elf(const std::string& path, std::string_view entry_symbol);

}  // namespace till::plugin_host
