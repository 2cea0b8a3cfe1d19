// LogManager errors are values; level names parse.
#include <catch2/catch.hpp>

#include "log/log_manager.hpp"
#include "support/temp_dir.hpp"

using till::log::LogManager;
using till::log::LogSettings;
using till::sdk::LogLevel;

TEST_CASE("a log file that cannot be opened is an error naming it", "[log]") {
    till::test::TempDir dir;
    // A regular file where a folder is needed: fails even when running as root.
    const std::string blocker = dir.write("not_a_dir", "x");
    LogSettings s;
    s.file = blocker + "/till.log";
    auto m = LogManager::create(s);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().code == "io_error");
    CHECK(m.error().message.find(blocker) != std::string::npos);

    LogSettings folder;
    folder.file = dir.path();  // a folder is not a file
    auto f = LogManager::create(folder);
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().message.find(dir.path()) != std::string::npos);
}

TEST_CASE("standard error is the default sink", "[log]") {
    auto m = LogManager::create(LogSettings{});
    REQUIRE(m.ok());
    (*m)->logger("kernel")->debug("dropped at the default level");
    CHECK_FALSE((*m)->logger("kernel")->enabled(LogLevel::debug));
}

TEST_CASE("parse_level knows the six names", "[log]") {
    LogLevel level = LogLevel::info;
    CHECK(till::log::parse_level("trace", level));
    CHECK(level == LogLevel::trace);
    CHECK(till::log::parse_level("critical", level));
    CHECK(level == LogLevel::critical);
    CHECK(till::log::parse_level("warn", level));
    CHECK(level == LogLevel::warn);
    CHECK_FALSE(till::log::parse_level("verbose", level));
    CHECK(level == LogLevel::warn);
}
