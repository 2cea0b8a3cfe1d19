#include "plugin_host/elf_inspect.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace till::plugin_host {
namespace {

#if defined(__x86_64__)
constexpr unsigned kMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kMachine = EM_AARCH64;
#else
#error "add this machine's ELF e_machine value"
#endif

constexpr std::uint64_t kMaxFileBytes = 1ull << 30;  // a plugin is not a gigabyte

ElfReport report(ElfVerdict verdict, std::string detail) { return {verdict, std::move(detail)}; }

// True when [offset, offset + count * size) lies inside a file of `file_size`
// bytes, without overflow.
bool inside(std::uint64_t offset, std::uint64_t count, std::uint64_t size, std::uint64_t file_size) {
    if (size != 0 && count > file_size / size) return false;
    std::uint64_t bytes = count * size;
    return offset <= file_size && bytes <= file_size - offset;
}

template <class T>
T read_at(const std::vector<char>& data, std::uint64_t offset) {
    T value;
    std::memcpy(&value, data.data() + offset, sizeof value);
    return value;
}

}  // namespace

ElfReport inspect_elf(const std::string& path, std::string_view entry_symbol) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return report(ElfVerdict::unreadable, "cannot open the file");
    auto end = in.tellg();
    if (end < 0) return report(ElfVerdict::unreadable, "cannot read the file");
    auto file_size = static_cast<std::uint64_t>(end);
    if (file_size > kMaxFileBytes) return report(ElfVerdict::unsupported, "file larger than 1 GiB");
    std::vector<char> data(file_size);
    in.seekg(0);
    if (!in.read(data.data(), static_cast<std::streamsize>(file_size)))
        return report(ElfVerdict::unreadable, "cannot read the file");

    if (file_size < 4 || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0)
        return report(ElfVerdict::not_elf, "not an ELF shared library");
    if (file_size < sizeof(Elf64_Ehdr)) return report(ElfVerdict::corrupt, "truncated ELF header");
    auto header = read_at<Elf64_Ehdr>(data, 0);
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB)
        return report(ElfVerdict::unsupported, "not a 64-bit little-endian ELF file");
    if (header.e_type != ET_DYN) return report(ElfVerdict::unsupported, "not a shared object (ELF type " +
                                                                            std::to_string(header.e_type) + ")");
    if (header.e_machine != kMachine)
        return report(ElfVerdict::unsupported,
                      "built for another machine (ELF machine " + std::to_string(header.e_machine) + ")");

    if (header.e_phentsize != sizeof(Elf64_Phdr) ||
        !inside(header.e_phoff, header.e_phnum, sizeof(Elf64_Phdr), file_size))
        return report(ElfVerdict::corrupt, "corrupt ELF file: program headers lie outside the file");
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        auto ph = read_at<Elf64_Phdr>(data, header.e_phoff + i * sizeof(Elf64_Phdr));
        if (ph.p_type == PT_LOAD && !inside(ph.p_offset, 1, ph.p_filesz, file_size))
            return report(ElfVerdict::corrupt, "corrupt ELF file: a loadable segment lies outside the file");
    }
    if (header.e_shentsize != sizeof(Elf64_Shdr) ||
        !inside(header.e_shoff, header.e_shnum, sizeof(Elf64_Shdr), file_size))
        return report(ElfVerdict::corrupt, "corrupt ELF file: section headers lie outside the file");

    std::vector<Elf64_Shdr> sections(header.e_shnum);
    for (unsigned i = 0; i < header.e_shnum; ++i)
        sections[i] = read_at<Elf64_Shdr>(data, header.e_shoff + i * sizeof(Elf64_Shdr));

    bool found_dynsym = false;
    bool has_entry = false;
    for (const auto& table : sections) {
        if (table.sh_type != SHT_DYNSYM && table.sh_type != SHT_SYMTAB) continue;
        if (table.sh_entsize != sizeof(Elf64_Sym) || !inside(table.sh_offset, 1, table.sh_size, file_size) ||
            table.sh_link >= sections.size())
            return report(ElfVerdict::corrupt, "corrupt ELF file: a symbol table lies outside the file");
        const auto& strings = sections[table.sh_link];
        if (strings.sh_type != SHT_STRTAB || !inside(strings.sh_offset, 1, strings.sh_size, file_size) ||
            strings.sh_size == 0)
            return report(ElfVerdict::corrupt, "corrupt ELF file: a string table lies outside the file");
        const char* names = data.data() + strings.sh_offset;
        std::uint64_t count = table.sh_size / sizeof(Elf64_Sym);
        for (std::uint64_t s = 0; s < count; ++s) {
            auto sym = read_at<Elf64_Sym>(data, table.sh_offset + s * sizeof(Elf64_Sym));
            if (sym.st_name >= strings.sh_size)
                return report(ElfVerdict::corrupt, "corrupt ELF file: a symbol name lies outside its string table");
            const char* name = names + sym.st_name;
            const void* nul = std::memchr(name, '\0', strings.sh_size - sym.st_name);
            if (!nul) return report(ElfVerdict::corrupt, "corrupt ELF file: an unterminated symbol name");
            if (table.sh_type == SHT_DYNSYM && sym.st_shndx != SHN_UNDEF &&
                std::string_view(name) == entry_symbol)
                has_entry = true;
        }
        if (table.sh_type == SHT_DYNSYM) found_dynsym = true;
    }
    if (!found_dynsym) return report(ElfVerdict::no_entry, "no dynamic symbol table");
    return has_entry ? report(ElfVerdict::plugin, {}) : report(ElfVerdict::no_entry, "no entry symbol");
}

}  // namespace till::plugin_host
