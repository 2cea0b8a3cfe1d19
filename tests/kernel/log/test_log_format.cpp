// LogManager writing text and JSON lines to a real file.
#include <catch2/catch.hpp>

#include <sstream>
#include <thread>
#include <vector>

#include "log/log_manager.hpp"
#include "support/temp_dir.hpp"

using till::log::LogFormat;
using till::log::LogManager;
using till::log::LogSettings;
using till::sdk::LogLevel;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::unique_ptr<LogManager> make(const LogSettings& s) {
    auto m = LogManager::create(s);
    INFO((m.ok() ? std::string() : m.error().message));
    REQUIRE(m.ok());
    return std::move(m).value();
}

}  // namespace

TEST_CASE("text lines carry UTC time, level, logger name and message", "[log]") {
    till::test::TempDir dir;
    LogSettings s;
    s.file = dir.file("logs/nested/till.log");  // parent folders are created
    auto manager = make(s);
    manager->logger("plugin.hello")->info("hello world");
    manager->logger("kernel")->warn("careful");
    manager->flush();
    const auto lines = lines_of(till::test::read_file(s.file));
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[0], Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info \[plugin\.hello\] hello world)"));
    CHECK_THAT(lines[1], Catch::Matches(R"(\S+Z warn \[kernel\] careful)"));
}

TEST_CASE("JSON lines escape quotes, backslashes and newlines", "[log]") {
    till::test::TempDir dir;
    LogSettings s;
    s.file = dir.file("till.log");
    s.format = LogFormat::json;
    auto manager = make(s);
    manager->logger("plugin.\"odd\"")->error("say \"hi\"\nback\\slash\ttab\x01");
    manager->flush();
    const auto lines = lines_of(till::test::read_file(s.file));
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::Matches(
        R"(\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"error","logger":"plugin\.\\"odd\\"","msg":"say \\"hi\\"\\nback\\\\slash\\ttab\\u0001"\})"));
}

TEST_CASE("records below the configured level are dropped", "[log]") {
    till::test::TempDir dir;
    LogSettings s;
    s.file = dir.file("till.log");
    s.level = LogLevel::warn;
    auto manager = make(s);
    auto log = manager->logger("kernel");
    CHECK_FALSE(log->enabled(LogLevel::info));
    CHECK(log->enabled(LogLevel::error));
    log->debug("no");
    log->info("no");
    log->warn("yes 1");
    log->error("yes 2");
    log->log(LogLevel::critical, "yes 3");
    manager->flush();
    const auto lines = lines_of(till::test::read_file(s.file));
    REQUIRE(lines.size() == 3);
    CHECK(lines[2].find(" critical [kernel] yes 3") != std::string::npos);
}

TEST_CASE("an existing log file is appended to", "[log]") {
    till::test::TempDir dir;
    const std::string file = dir.write("till.log", "old line\n");
    LogSettings s;
    s.file = file;
    make(s)->logger("kernel")->info("new line");
    const auto lines = lines_of(till::test::read_file(file));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "old line");
}

TEST_CASE("loggers on many threads never interleave within a line", "[log]") {
    till::test::TempDir dir;
    LogSettings s;
    s.file = dir.file("till.log");
    s.format = LogFormat::json;
    auto manager = make(s);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&manager, t] {
            auto log = manager->logger("t" + std::to_string(t));
            for (int i = 0; i < 200; ++i) log->info("record " + std::to_string(i));
        });
    }
    for (auto& th : threads) th.join();
    manager->flush();
    const auto lines = lines_of(till::test::read_file(s.file));
    REQUIRE(lines.size() == 800);
    for (const auto& line : lines) {
        REQUIRE_THAT(line, Catch::Matches(R"(\{"time":"[^"]+","level":"info","logger":"t\d","msg":"record \d+"\})"));
    }
}
