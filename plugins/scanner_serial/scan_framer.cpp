#include "scan_framer.hpp"

namespace till::scanner_serial {

bool parse_suffix(std::string_view text, Suffix& out) noexcept {
    if (text == "any") out = Suffix::any;
    else if (text == "cr") out = Suffix::cr;
    else if (text == "lf") out = Suffix::lf;
    else if (text == "crlf") out = Suffix::crlf;
    else return false;
    return true;
}

std::string guess_symbology(std::string_view data) {
    for (char c : data)
        if (c < '0' || c > '9') return "";
    switch (data.size()) {
        case 13: return "ean13";
        case 12: return "upca";
        case 8: return "ean8";
        default: return "";
    }
}

ScanFramer::ScanFramer(FramerOptions options) : options_(std::move(options)) {}

void ScanFramer::reset() noexcept {
    pending_.clear();
    overlong_ = false;
    saw_cr_ = false;
}

void ScanFramer::finish(std::vector<std::string>& out) {
    if (overlong_) {
        ++overlong_dropped_;
    } else if (!pending_.empty()) {
        std::string scan = std::move(pending_);
        if (!options_.prefix.empty() && scan.compare(0, options_.prefix.size(), options_.prefix) == 0)
            scan.erase(0, options_.prefix.size());
        if (!scan.empty()) out.push_back(std::move(scan));
    }
    pending_.clear();
    overlong_ = false;
}

std::vector<std::string> ScanFramer::flush() {
    std::vector<std::string> out;
    saw_cr_ = false;  // a lone CR at the end was the (short) suffix
    finish(out);
    return out;
}

void ScanFramer::append(char c) {
    if (pending_.size() >= options_.max_length) {
        overlong_ = true;
        return;
    }
    pending_.push_back(c);
}

std::vector<std::string> ScanFramer::feed(std::string_view bytes) {
    std::vector<std::string> out;
    for (char c : bytes) {
        switch (options_.suffix) {
            case Suffix::any:
                if (c == '\r' || c == '\n') finish(out);
                else append(c);
                break;
            case Suffix::cr:
                if (c == '\r') finish(out);
                else if (!(c == '\n' && pending_.empty() && !overlong_)) append(c);  // LF of a CRLF: not data
                break;
            case Suffix::lf:
                if (c == '\n') finish(out);
                else if (c != '\r') append(c);
                break;
            case Suffix::crlf:
                // The CR is held back until we know whether an LF follows.
                if (c == '\n' && saw_cr_) {
                    saw_cr_ = false;
                    finish(out);
                    break;
                }
                if (saw_cr_) append('\r');
                saw_cr_ = c == '\r';
                if (!saw_cr_) append(c);
                break;
        }
    }
    return out;
}

}  // namespace till::scanner_serial
