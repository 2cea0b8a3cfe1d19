// printer_file renderer: width, wrapping, alignment and the job's extras.
#include <catch2/catch.hpp>

#include "text_renderer.hpp"

using namespace till::printer_file;
using till::sdk::PrintJob;
using till::sdk::PrintLine;

namespace {

PrintLine line(std::string text, PrintLine::Align align = PrintLine::Align::left,
               PrintLine::Style style = PrintLine::Style::normal) {
    return PrintLine{std::move(text), align, style};
}

}  // namespace

TEST_CASE("display width counts UTF-8 code points, not bytes") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("Café") == 4);
    CHECK(display_width("€5") == 2);
    CHECK(display_width("") == 0);
}

TEST_CASE("text that fits is kept as is, inner spacing included") {
    auto rows = wrap_text("Coffee      2.50", 20);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == "Coffee      2.50");
}

TEST_CASE("long lines wrap at the last space that fits") {
    auto rows = wrap_text("the quick brown fox jumps over the lazy dog", 10);
    CHECK(rows == std::vector<std::string>{"the quick", "brown fox", "jumps over", "the lazy", "dog"});
    for (const auto& r : rows) CHECK(display_width(r) <= 10);
}

TEST_CASE("a word longer than the line is cut") {
    auto rows = wrap_text("abcdefghijklmnopqrstuvwxyz", 10);
    CHECK(rows == std::vector<std::string>{"abcdefghij", "klmnopqrst", "uvwxyz"});
}

TEST_CASE("wrapping never splits a UTF-8 character") {
    auto rows = wrap_text("ééééééééééééé", 5);
    CHECK(rows == std::vector<std::string>{"ééééé", "ééééé", "ééé"});
}

TEST_CASE("newlines start new rows and empty text gives one empty row") {
    CHECK(wrap_text("a\nb", 10) == std::vector<std::string>{"a", "b"});
    CHECK(wrap_text("", 10) == std::vector<std::string>{""});
}

TEST_CASE("control characters become spaces") {
    CHECK(sanitize("a\tb\x1b" "c\r\nd") == "a b c\nd");
}

TEST_CASE("alignment pads on the left only") {
    CHECK(align_text("abc", PrintLine::Align::left, 10) == "abc");
    CHECK(align_text("abc", PrintLine::Align::right, 10) == "       abc");
    CHECK(align_text("abcd", PrintLine::Align::center, 10) == "   abcd");
    CHECK(align_text("abc", PrintLine::Align::center, 10) == "   abc");
    CHECK(align_text("abcdefghij", PrintLine::Align::right, 10) == "abcdefghij");
}

TEST_CASE("wrapped rows are aligned one by one") {
    auto rows = render_line(line("aaaa bbbbbbbb", PrintLine::Align::right), 8);
    CHECK(rows == std::vector<std::string>{"    aaaa", "bbbbbbbb"});
}

TEST_CASE("bold is marked with asterisks and still fits the width") {
    auto rows = render_line(line("TOTAL", PrintLine::Align::center, PrintLine::Style::bold), 20);
    CHECK(rows == std::vector<std::string>{"      *TOTAL*"});
    auto long_rows = render_line(line(std::string(30, 'x'), PrintLine::Align::left, PrintLine::Style::bold), 20);
    REQUIRE(long_rows.size() == 2);
    for (const auto& r : long_rows) CHECK(display_width(r) <= 20);
    CHECK(long_rows[0] == "*" + std::string(18, 'x') + "*");
}

TEST_CASE("double height takes two rows: the text and an underline") {
    auto rows = render_line(line("TOTAL 12.50", PrintLine::Align::center, PrintLine::Style::double_height), 21);
    CHECK(rows == std::vector<std::string>{"     TOTAL 12.50", "     ==========="});
}

TEST_CASE("a job renders lines, barcode, drawer kick and cut, all within the width") {
    PrintJob job;
    job.lines = {line("Till Café", PrintLine::Align::center), line(std::string(100, 'y'))};
    job.barcode = "4006381333931";
    job.open_drawer = true;
    job.cut_after = true;
    auto rows = render_job(job, 32);
    REQUIRE(rows.size() == 1 + 4 + 1 + 1 + 1);
    CHECK(rows[0] == "           Till Café");
    CHECK(rows[5] == "    [barcode: 4006381333931]");
    CHECK(rows[6] == "[drawer kick]");
    CHECK(rows[7] == "--- cut ---");
    for (const auto& r : rows) CHECK(display_width(r) <= 32);
}

TEST_CASE("without cut, drawer or barcode only the lines are rendered") {
    PrintJob job;
    job.lines = {line("one"), line("two")};
    job.cut_after = false;
    CHECK(render_job(job, 42) == std::vector<std::string>{"one", "two"});
}
