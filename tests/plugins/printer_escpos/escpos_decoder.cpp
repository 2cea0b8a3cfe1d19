#include "escpos_decoder.hpp"

#include <till/sdk/receipt.hpp>

#include "code_pages.hpp"

namespace till::test {
namespace {

using till::printer_escpos::CodePage;

CodePage page_for_number(int n) {
    switch (n) {
        case 19:
            return CodePage::cp858;
        case 18:
            return CodePage::cp852;
        case 17:
            return CodePage::cp866;
        case 16:
            return CodePage::wpc1252;
        default:
            return CodePage::cp437;
    }
}

sdk::TextAlign to_align(int a) {
    return a == 1 ? sdk::TextAlign::center : a == 2 ? sdk::TextAlign::right : sdk::TextAlign::left;
}

class Decoder {
public:
    Decoder(std::string_view b, int columns) : b_(b), columns_(columns) {}

    DecodedReceipt run() {
        while (i_ < b_.size()) step();
        if (!line_.empty()) out_.errors.push_back("text without a final LF: " + line_);
        return std::move(out_);
    }

private:
    bool need(std::size_t n) {
        if (i_ + n <= b_.size()) return true;
        out_.errors.push_back("truncated command at offset " + std::to_string(i_));
        i_ = b_.size();
        return false;
    }
    int at(std::size_t k) const { return static_cast<unsigned char>(b_[i_ + k]); }

    void reset() {
        align_ = 0;
        bold_ = underline_ = dw_ = dh_ = false;
        page_ = CodePage::cp437;
    }

    void flush_line() {
        std::size_t visual = 0;
        for (int s : scales_) visual += static_cast<std::size_t>(s);
        const auto cols = static_cast<std::size_t>(columns_);
        const std::size_t pad = visual < cols ? cols - visual : 0;
        std::string row = align_ == 1   ? std::string(pad / 2, ' ') + line_
                          : align_ == 2 ? std::string(pad, ' ') + line_
                                        : line_;
        while (!row.empty() && row.back() == ' ') row.pop_back();
        out_.rows.push_back(row);
        out_.lines.push_back({line_, align_, bold_, underline_, dw_, dh_});
        line_.clear();
        scales_.clear();
    }

    void marker(const std::string& m) {
        for (const auto& l : sdk::wrap_text(m, columns_))
            out_.rows.push_back(sdk::align_text(l, to_align(align_), columns_, true));
    }

    void step() {
        const int c = at(0);
        if (c == 0x0A) {
            flush_line();
            ++i_;
        } else if (c == 0x1B) {
            esc();
        } else if (c == 0x1D) {
            gs();
        } else if (c == 0x10) {
            if (!need(3)) return;
            if (at(1) == 0x04)
                ++out_.status_requests;
            else
                out_.errors.push_back("unknown DLE command at offset " + std::to_string(i_));
            i_ += 3;
        } else if (c < 0x20) {
            out_.errors.push_back("control byte " + std::to_string(c) + " at offset " + std::to_string(i_));
            ++i_;
        } else {
            const char32_t cp = printer_escpos::decode_byte(page_, static_cast<std::uint8_t>(c));
            printer_escpos::append_utf8(line_, cp == 0 ? U'\uFFFD' : cp);
            scales_.push_back(dw_ ? 2 : 1);
            ++i_;
        }
    }

    void esc() {
        if (!need(2)) return;
        const int cmd = at(1);
        if (cmd == '@') {
            out_.initialised = true;
            reset();
            i_ += 2;
            return;
        }
        if (cmd == 'p') {
            if (!need(5)) return;
            out_.pulses.push_back({at(2), at(3) * 2, at(4) * 2});
            out_.rows.emplace_back("[drawer]");
            i_ += 5;
            return;
        }
        if (!need(3)) return;
        const int n = at(2);
        switch (cmd) {
            case 't':
                out_.code_page = n;
                page_ = page_for_number(n);
                break;
            case 'a':
                align_ = n % 48;
                break;
            case 'E':
                bold_ = (n & 1) != 0;
                break;
            case '-':
                underline_ = (n % 48) != 0;
                break;
            case 'd': {  // prints the buffer (one of the n lines) and feeds
                int blank = n;
                if (!line_.empty()) {
                    flush_line();
                    --blank;
                }
                for (int k = 0; k < blank; ++k) out_.rows.emplace_back();
                break;
            }
            default:
                out_.errors.push_back("unknown ESC " + std::to_string(cmd) + " at offset " + std::to_string(i_));
        }
        i_ += 3;
    }

    void gs() {
        if (!need(2)) return;
        const int cmd = at(1);
        if (cmd == '!' || cmd == 'H' || cmd == 'h' || cmd == 'w') {
            if (!need(3)) return;
            const int n = at(2);
            if (cmd == '!') {
                dw_ = (n & 0xF0) != 0;
                dh_ = (n & 0x0F) != 0;
            } else if (cmd == 'H') {
                hri_ = n;
            } else if (cmd == 'h') {
                height_ = n;
            } else {
                module_ = n;
            }
            i_ += 3;
        } else if (cmd == 'k') {
            barcode();
        } else if (cmd == '(') {
            qr();
        } else if (cmd == 'v') {
            if (!need(8)) return;
            const int xbytes = at(4) + 256 * at(5);
            const int h = at(6) + 256 * at(7);
            if (!need(8 + static_cast<std::size_t>(xbytes) * static_cast<std::size_t>(h))) return;
            out_.images.push_back(std::to_string(xbytes * 8) + "x" + std::to_string(h));
            marker("[image " + out_.images.back() + "]");
            i_ += 8 + static_cast<std::size_t>(xbytes) * static_cast<std::size_t>(h);
        } else if (cmd == 'V') {
            if (!need(3)) return;
            const int m = at(2);
            const bool function_b = m == 65 || m == 66;
            if (function_b && !need(4)) return;
            const bool full = m == 0 || m == 48 || m == 65;
            out_.cuts.emplace_back(full ? "full" : "partial");
            out_.rows.emplace_back(full ? "--- cut ---" : "- - - cut - - -");
            i_ += function_b ? 4 : 3;
        } else {
            out_.errors.push_back("unknown GS " + std::to_string(cmd) + " at offset " + std::to_string(i_));
            i_ += 2;
        }
    }

    void barcode() {
        if (!need(4)) return;
        const int m = at(2);
        const auto n = static_cast<std::size_t>(at(3));
        if (m < 65 || !need(4 + n)) {
            if (m < 65) out_.errors.push_back("GS k function A is not used by the encoder");
            i_ = b_.size();
            return;
        }
        std::string raw(b_.substr(i_ + 4, n));
        DecodedBarcode bc{m, {}, {}, hri_, height_, module_};
        if (m == 73) {
            bc.code_set = raw.size() >= 2 ? raw.substr(1, 1) : "";
            for (std::size_t k = 2; k < raw.size(); ++k) {
                if (bc.code_set == "C") {
                    const int v = static_cast<unsigned char>(raw[k]);
                    bc.data += static_cast<char>('0' + v / 10);
                    bc.data += static_cast<char>('0' + v % 10);
                } else {
                    bc.data += raw[k];
                    if (raw[k] == '{' && k + 1 < raw.size() && raw[k + 1] == '{') ++k;
                }
            }
        } else {
            bc.data = raw;
        }
        out_.barcodes.push_back(bc);
        marker(std::string("[") + (m == 67 ? "EAN-13" : "CODE128") + ": " + bc.data + "]");
        i_ += 4 + n;
    }

    void qr() {
        if (!need(7)) return;
        if (at(2) != 'k') {
            out_.errors.push_back("unknown GS ( at offset " + std::to_string(i_));
            i_ = b_.size();
            return;
        }
        const auto len = static_cast<std::size_t>(at(3) + 256 * at(4));
        if (!need(5 + len)) return;
        const int fn = at(6);
        if (fn == 65)
            qr_.model = at(7);
        else if (fn == 67)
            qr_.module = at(7);
        else if (fn == 69)
            qr_.error_level = at(7);
        else if (fn == 80)
            qr_.data = std::string(b_.substr(i_ + 8, len - 3));
        else if (fn == 81) {
            out_.qr_codes.push_back(qr_);
            marker("[QR: " + qr_.data + "]");
        }
        i_ += 5 + len;
    }

    std::string_view b_;
    int columns_;
    std::size_t i_ = 0;
    DecodedReceipt out_;
    CodePage page_ = CodePage::cp437;
    int align_ = 0;
    bool bold_ = false, underline_ = false, dw_ = false, dh_ = false;
    int hri_ = 0, height_ = 162, module_ = 3;
    DecodedQr qr_;
    std::string line_;
    std::vector<int> scales_;
};

}  // namespace

std::string DecodedReceipt::text() const {
    std::string t;
    for (const auto& r : rows) t += r + "\n";
    return t;
}

DecodedReceipt decode_escpos(std::string_view bytes, int columns) {
    return Decoder(bytes, columns).run();
}

}  // namespace till::test
