// printer_escpos: real-time status (DLE EOT n). The printer answers each
// request at once, ahead of the data it is still printing, with one byte
// whose fixed bits are 0xx1xx10: (b & 0x93) == 0x12.
//   n=1 printer:  bit 3 offline; bit 2 drawer sensor (connector pin 3) high
//   n=2 offline:  bit 2 cover open; bit 3 paper fed by button; bit 5 stopped at paper end; bit 6 error
//   n=3 error:    bit 3 auto-cutter error; bit 5 unrecoverable; bit 6 auto-recoverable
//   n=4 paper:    bits 2-3 paper near end; bits 5-6 paper end (out)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <till/sdk/device.hpp>

namespace till::printer_escpos {

/// Which drawer-sensor level means "open" (it depends on the drawer's switch).
enum class DrawerSensor { open_when_high, open_when_low };

/// DLE EOT 1, 2, 3, 4: four requests, four answer bytes in that order.
std::string status_request();

bool is_status_byte(std::uint8_t b) noexcept;

/// Parses the four answers (as read, in request order). A byte that is not a
/// status byte makes the result offline with a message saying so.
sdk::PrinterStatus parse_status(std::string_view answers, DrawerSensor sensor);

}  // namespace till::printer_escpos
