// printer_file device: real files, real locks, real fsync.
#include <catch2/catch.hpp>

#include <filesystem>

#include "file_printer.hpp"
#include "support/temp_dir.hpp"
#include "text_renderer.hpp"

using namespace till::printer_file;
using till::sdk::DeviceErrorCode;
using till::sdk::DeviceState;
using till::sdk::HealthCheckLevel;
using till::sdk::PrintJob;
using till::sdk::PrintLine;

namespace {

PrintJob sample_job() {
    PrintJob job;
    job.job_id = "job-1";
    job.lines = {PrintLine{"Receipt", PrintLine::Align::center, PrintLine::Style::bold},
                 PrintLine{"Coffee 2.50", PrintLine::Align::left, PrintLine::Style::normal}};
    job.cut_after = true;
    return job;
}

std::unique_ptr<FilePrinter> ready_printer(const std::string& path, const std::string& id = "p1") {
    auto p = std::make_unique<FilePrinter>(FilePrinterOptions{id, 32});
    p->set_output(path, nullptr);
    REQUIRE(p->open().ok());
    REQUIRE(p->claim(0).ok());
    REQUIRE(p->enable().ok());
    return p;
}

}  // namespace

TEST_CASE("an enabled printer appends each job to its file") {
    till::test::TempDir dir;
    const std::string path = dir.file("out/receipts.txt");
    auto p = ready_printer(path);
    REQUIRE(p->print(sample_job(), 1000).ok());
    REQUIRE(p->print(sample_job(), 1000).ok());
    const std::string one = "           *Receipt*\nCoffee 2.50\n--- cut ---\n";
    CHECK(till::test::read_file(path) == one + one);
    auto stats = p->statistics();
    CHECK(stats.operations == 2);
    CHECK(stats.failures == 0);
    CHECK(stats.extra["jobs_printed"] == 2);
    CHECK(stats.extra["lines_printed"] == 6);
    CHECK(stats.extra["cuts"] == 2);
    CHECK(stats.extra["bytes_written"] == static_cast<std::int64_t>(2 * one.size()));
}

TEST_CASE("printing in the wrong state returns the lifecycle error and writes nothing") {
    till::test::TempDir dir;
    const std::string path = dir.file("receipts.txt");
    FilePrinter p(FilePrinterOptions{"p1", 32});
    p.set_output(path, nullptr);
    CHECK(p.print(sample_job(), 1000).code == DeviceErrorCode::closed);
    REQUIRE(p.open().ok());
    CHECK(p.print(sample_job(), 1000).code == DeviceErrorCode::not_claimed);
    CHECK(p.enable().code == DeviceErrorCode::not_claimed);
    REQUIRE(p.claim(0).ok());
    CHECK(p.print(sample_job(), 1000).code == DeviceErrorCode::disabled);
    CHECK(p.open().code == DeviceErrorCode::illegal);
    CHECK(p.state() == DeviceState::claimed);
    CHECK(till::test::read_file(path).empty());
    auto stats = p.statistics();
    CHECK(stats.failures == 3);
    CHECK(stats.last_failure.find("enable the device first") != std::string::npos);
    CHECK(stats.last_failure_utc_ms > 0);
}

TEST_CASE("close from enabled releases the claim for another device") {
    till::test::TempDir dir;
    const std::string path = dir.file("receipts.txt");
    auto first = ready_printer(path, "first");
    FilePrinter second(FilePrinterOptions{"second", 32});
    second.set_output(path, nullptr);
    REQUIRE(second.open().ok());

    auto refused = second.claim(50);
    CHECK(refused.code == DeviceErrorCode::claimed);
    CHECK(second.state() == DeviceState::opened);

    REQUIRE(first->close().ok());
    CHECK(first->state() == DeviceState::closed);
    CHECK(second.claim(0).ok());
    CHECK(first->close().code == DeviceErrorCode::closed);
}

TEST_CASE("release lets another device claim the same file") {
    till::test::TempDir dir;
    const std::string path = dir.file("receipts.txt");
    auto first = ready_printer(path, "first");
    REQUIRE(first->release().ok());
    CHECK(first->state() == DeviceState::opened);
    FilePrinter second(FilePrinterOptions{"second", 32});
    second.set_output(path, nullptr);
    REQUIRE(second.open().ok());
    CHECK(second.claim(0).ok());
}

TEST_CASE("open without an output file, or with an unusable one, is offline") {
    till::test::TempDir dir;
    FilePrinter unset(FilePrinterOptions{"p1", 32});
    CHECK(unset.open().code == DeviceErrorCode::offline);
    CHECK(unset.state() == DeviceState::closed);

    std::filesystem::create_directories(dir.file("a-folder"));
    FilePrinter folder(FilePrinterOptions{"p2", 32});
    folder.set_output(dir.file("a-folder"), nullptr);
    auto r = folder.open();
    CHECK(r.code == DeviceErrorCode::offline);
    CHECK(r.message.find("a-folder") != std::string::npos);
}

TEST_CASE("the health check verifies the file can be written") {
    till::test::TempDir dir;
    std::string report;
    FilePrinter good(FilePrinterOptions{"p1", 32});
    good.set_output(dir.file("sub/receipts.txt"), nullptr);
    CHECK(good.check_health(HealthCheckLevel::internal, report).ok());
    CHECK(report.find("healthy") == 0);

    std::filesystem::create_directories(dir.file("a-folder"));
    FilePrinter bad(FilePrinterOptions{"p2", 32});
    bad.set_output(dir.file("a-folder"), nullptr);
    CHECK(bad.check_health(HealthCheckLevel::internal, report).code == DeviceErrorCode::offline);
    CHECK(report.find("is a folder") != std::string::npos);

    CHECK(good.check_health(HealthCheckLevel::external, report).code == DeviceErrorCode::closed);
    CHECK(good.check_health(HealthCheckLevel::interactive, report).code == DeviceErrorCode::illegal);
    auto enabled = ready_printer(dir.file("receipts.txt"));
    CHECK(enabled->check_health(HealthCheckLevel::external, report).ok());
}
