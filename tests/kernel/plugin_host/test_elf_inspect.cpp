// The pre-load check of a plugin file must survive any file, corrupt ones
// included, and tell what is wrong.
#include <catch2/catch.hpp>

#include <elf.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "fixture_dir.hpp"
#include "node/node.hpp"
#include "plugin_host/elf_inspect.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "till/sdk/plugin.hpp"
#include "till/sdk/value.hpp"

using till::plugin_host::ElfVerdict;
using till::plugin_host::inspect_elf;

namespace {

std::string read_all(const std::string& path) { return till::test::read_file(path); }

// Sets st_name of every symbol in every symbol table far past its string
// table: what a bit flip or a truncated download can do.
std::string corrupt_symbol_names(std::string image) {
    Elf64_Ehdr header;
    std::memcpy(&header, image.data(), sizeof header);
    for (unsigned i = 0; i < header.e_shnum; ++i) {
        Elf64_Shdr section;
        std::memcpy(&section, image.data() + header.e_shoff + i * sizeof(Elf64_Shdr), sizeof section);
        if (section.sh_type != SHT_DYNSYM && section.sh_type != SHT_SYMTAB) continue;
        for (std::uint64_t s = 1; s < section.sh_size / sizeof(Elf64_Sym); ++s) {
            auto offset = section.sh_offset + s * sizeof(Elf64_Sym);
            Elf64_Sym sym;
            std::memcpy(&sym, image.data() + offset, sizeof sym);
            sym.st_name = 0x7ffffff0;
            std::memcpy(image.data() + offset, &sym, sizeof sym);
        }
    }
    return image;
}

}  // namespace

TEST_CASE("a real plugin passes, a plain library has no entry", "[elf]") {
    CHECK(inspect_elf(till::test::fixture_library("fixture_good"), TILL_PLUGIN_ENTRY_SYMBOL).verdict ==
          ElfVerdict::plugin);
    CHECK(inspect_elf(till::test::fixture_library("fixture_no_entry"), TILL_PLUGIN_ENTRY_SYMBOL).verdict ==
          ElfVerdict::no_entry);
}

TEST_CASE("text, truncated, corrupt and foreign files are named for what they are", "[elf]") {
    till::test::TempDir dir;
    std::string good = read_all(till::test::fixture_library("fixture_good"));
    REQUIRE(good.size() > 4096);

    CHECK(inspect_elf(dir.write("text.so", "hello\n"), "x").verdict == ElfVerdict::not_elf);
    CHECK(inspect_elf(dir.write("empty.so", ""), "x").verdict == ElfVerdict::not_elf);
    CHECK(inspect_elf(dir.file("missing.so"), "x").verdict == ElfVerdict::unreadable);
    CHECK(inspect_elf(dir.write("header-only.so", good.substr(0, 40)), "x").verdict == ElfVerdict::corrupt);

    auto truncated = inspect_elf(dir.write("half.so", good.substr(0, good.size() / 2)), TILL_PLUGIN_ENTRY_SYMBOL);
    CHECK(truncated.verdict == ElfVerdict::corrupt);
    CHECK_THAT(truncated.detail, Catch::StartsWith("corrupt ELF file: "));

    auto names = inspect_elf(dir.write("names.so", corrupt_symbol_names(good)), TILL_PLUGIN_ENTRY_SYMBOL);
    CHECK(names.verdict == ElfVerdict::corrupt);
    CHECK(names.detail == "corrupt ELF file: a symbol name lies outside its string table");

    std::string foreign = good;
    foreign[EI_CLASS] = ELFCLASS32;
    CHECK(inspect_elf(dir.write("foreign.so", foreign), "x").verdict == ElfVerdict::unsupported);
}

TEST_CASE("a node with a corrupt plugin library reports it and keeps serving", "[elf][loader]") {
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_good");
    dir.add_fixture("fixture_dependent");
    std::string lib = dir.plugins_dir() + "/fixture_good/till-fixture-good.so";
    std::string image = corrupt_symbol_names(read_all(lib));
    std::filesystem::remove(lib);
    std::ofstream(lib, std::ios::binary) << image;

    till::node::NodeOptions options;
    options.config_path = dir.write_config();
    auto node = till::node::Node::start(options);
    REQUIRE(node);
    auto reply = till::test::http_get((*node)->port(), "/api/v1/node");
    REQUIRE(reply.status == 200);
    auto described = till::sdk::Value::parse_json(reply.body);
    REQUIRE(described);
    for (const auto& p : (*described)["plugins"].as_list()) {
        if (p["id"].as_string() == "fixture_good") {
            CHECK(p["state"].as_string() == "failed_to_load");
            CHECK(p["reason"].as_string() == lib + ": corrupt ELF file: a symbol name lies outside its string table");
        } else {
            CHECK(p["state"].as_string() == "failed_to_start");
        }
    }
}
