// scanner_serial: bytes from the wire → scans. A scan ends at its suffix
// (CR, LF, CRLF, or any of them); the configured prefix is stripped; a line
// longer than max_length is dropped whole (a wire glitch or the wrong baud
// rate, not a barcode).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace till::scanner_serial {

enum class Suffix { any, cr, lf, crlf };

/// A guess from the shape of the data, for logs and screens: 13 digits
/// "ean13", 12 "upca", 8 "ean8", else "" (the kernel checks the digits).
std::string guess_symbology(std::string_view data);

/// "any", "cr", "lf", "crlf"; false when unknown.
bool parse_suffix(std::string_view text, Suffix& out) noexcept;

struct FramerOptions {
    Suffix suffix = Suffix::any;
    std::string prefix;           ///< stripped from the start of a scan when present
    std::size_t max_length = 256; ///< bytes of one scan before its suffix
};

class ScanFramer {
public:
    explicit ScanFramer(FramerOptions options);

    /// Feeds bytes; returns the scans they complete, in order. Empty lines
    /// (e.g. the LF of a CRLF under `any`) are not scans.
    std::vector<std::string> feed(std::string_view bytes);
    /// Ends the scan in progress as if its suffix came (the connection that
    /// sent it closed); returns it, or nothing.
    std::vector<std::string> flush();
    /// Scans dropped because they were longer than max_length.
    std::size_t overlong_dropped() const noexcept { return overlong_dropped_; }
    /// Forgets a partial scan (after a reconnect).
    void reset() noexcept;

private:
    void finish(std::vector<std::string>& out);
    void append(char c);

    const FramerOptions options_;
    std::string pending_;
    bool overlong_ = false;
    bool saw_cr_ = false;  ///< crlf: a CR is held back
    std::size_t overlong_dropped_ = 0;
};

}  // namespace till::scanner_serial
