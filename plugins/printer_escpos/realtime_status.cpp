#include "realtime_status.hpp"

namespace till::printer_escpos {

std::string status_request() {
    return {0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04};
}

bool is_status_byte(std::uint8_t b) noexcept {
    return (b & 0x93) == 0x12;
}

sdk::PrinterStatus parse_status(std::string_view answers, DrawerSensor sensor) {
    sdk::PrinterStatus st;
    if (answers.size() != 4) {
        st.message = "expected 4 status bytes, got " + std::to_string(answers.size());
        return st;
    }
    for (char c : answers) {
        if (!is_status_byte(static_cast<std::uint8_t>(c))) {
            st.message = "the answer is not ESC/POS status (byte " +
                         std::to_string(static_cast<unsigned>(static_cast<std::uint8_t>(c))) + ")";
            return st;
        }
    }
    const auto printer = static_cast<std::uint8_t>(answers[0]);
    const auto offline = static_cast<std::uint8_t>(answers[1]);
    const auto error = static_cast<std::uint8_t>(answers[2]);
    const auto paper = static_cast<std::uint8_t>(answers[3]);

    const bool pin_high = (printer & 0x04) != 0;
    st.drawer =
        (pin_high == (sensor == DrawerSensor::open_when_high)) ? sdk::DrawerState::open : sdk::DrawerState::closed;
    st.cover_open = (offline & 0x04) != 0;
    st.paper_out = (paper & 0x60) != 0 || (offline & 0x20) != 0;
    st.paper_near_end = (paper & 0x0C) != 0;
    const bool is_offline = (printer & 0x08) != 0;
    const bool cutter = (error & 0x08) != 0;
    const bool unrecoverable = (error & 0x20) != 0;
    st.online = !is_offline && !st.cover_open && !st.paper_out && !cutter && !unrecoverable;

    std::string m;
    auto add = [&m](const char* part) { m += (m.empty() ? "" : ", ") + std::string(part); };
    if (st.cover_open) add("cover open");
    if (st.paper_out) add("paper out");
    if (cutter) add("auto-cutter error");
    if (unrecoverable) add("unrecoverable error");
    if (is_offline && m.empty()) add("offline");
    if (st.paper_near_end) add("paper near end");
    st.message = m.empty() ? "ready" : m;
    return st;
}

}  // namespace till::printer_escpos
