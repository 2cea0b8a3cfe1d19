// DLE EOT answers parsed into PrinterStatus.
#include <catch2/catch.hpp>

#include "realtime_status.hpp"

using namespace till::printer_escpos;
using till::sdk::DrawerState;

namespace {
std::string answers(int printer, int offline, int error, int paper) {
    return {static_cast<char>(printer), static_cast<char>(offline), static_cast<char>(error), static_cast<char>(paper)};
}
}  // namespace

TEST_CASE("a ready printer") {
    auto st = parse_status(answers(0x12, 0x12, 0x12, 0x12), DrawerSensor::open_when_high);
    CHECK(st.online);
    CHECK_FALSE(st.cover_open);
    CHECK_FALSE(st.paper_out);
    CHECK_FALSE(st.paper_near_end);
    CHECK(st.drawer == DrawerState::closed);
    CHECK(st.message == "ready");
    CHECK(status_request() == std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"));
}

TEST_CASE("cover open, paper out, near end, drawer") {
    auto cover = parse_status(answers(0x1A, 0x16, 0x12, 0x12), DrawerSensor::open_when_high);
    CHECK_FALSE(cover.online);
    CHECK(cover.cover_open);
    CHECK(cover.message == "cover open");

    auto paper = parse_status(answers(0x1A, 0x32, 0x12, 0x72), DrawerSensor::open_when_high);
    CHECK(paper.paper_out);
    CHECK_FALSE(paper.online);
    CHECK(paper.message == "paper out");

    auto near_end = parse_status(answers(0x12, 0x12, 0x12, 0x1E), DrawerSensor::open_when_high);
    CHECK(near_end.online);
    CHECK(near_end.paper_near_end);
    CHECK(near_end.message == "paper near end");

    CHECK(parse_status(answers(0x16, 0x12, 0x12, 0x12), DrawerSensor::open_when_high).drawer == DrawerState::open);
    CHECK(parse_status(answers(0x16, 0x12, 0x12, 0x12), DrawerSensor::open_when_low).drawer == DrawerState::closed);
    CHECK(parse_status(answers(0x12, 0x12, 0x12, 0x12), DrawerSensor::open_when_low).drawer == DrawerState::open);

    auto cutter = parse_status(answers(0x1A, 0x52, 0x1A, 0x12), DrawerSensor::open_when_high);
    CHECK_FALSE(cutter.online);
    CHECK(cutter.message == "auto-cutter error");
}

TEST_CASE("bytes that are not status answers are not believed") {
    auto st = parse_status(answers('O', 'K', '\r', '\n'), DrawerSensor::open_when_high);
    CHECK_FALSE(st.online);
    CHECK(st.drawer == DrawerState::unknown);
    CHECK(st.message.find("not ESC/POS status") != std::string::npos);
    CHECK_FALSE(parse_status("\x12", DrawerSensor::open_when_high).online);
}
