#include "escpos_encoder.hpp"

#include <algorithm>
#include <variant>

namespace till::printer_escpos {
namespace {

using namespace till::sdk;

constexpr char ESC = 0x1B;
constexpr char GS = 0x1D;
constexpr char LF = 0x0A;

char byte(int v) {
    return static_cast<char>(static_cast<unsigned char>(v));
}

/// Emits style and alignment commands only when they change.
class Writer {
public:
    Writer(std::string& out, CodePage page) : out_(out), page_(page) {}

    void align(TextAlign a) {
        if (a == align_) return;
        align_ = a;
        out_ += {ESC, 'a', byte(a == TextAlign::left ? 0 : a == TextAlign::center ? 1 : 2)};
    }
    void style(const TextStyle& s) {
        if (s.bold != style_.bold) out_ += {ESC, 'E', byte(s.bold ? 1 : 0)};
        if (s.underline != style_.underline) out_ += {ESC, '-', byte(s.underline ? 1 : 0)};
        if (s.double_width != style_.double_width || s.double_height != style_.double_height)
            out_ += {GS, '!', byte((s.double_width ? 0x10 : 0) | (s.double_height ? 0x01 : 0))};
        style_ = s;
    }
    void line(std::string_view utf8) {
        out_ += encode_text(utf8, page_);
        out_ += LF;
    }
    std::string& out() { return out_; }

private:
    std::string& out_;
    CodePage page_;
    TextAlign align_ = TextAlign::left;
    TextStyle style_;
};

void put_u16(std::string& out, std::size_t v) {
    out += byte(static_cast<int>(v & 0xFF));
    out += byte(static_cast<int>((v >> 8) & 0xFF));
}

void barcode(Writer& w, const BarcodeBlock& b) {
    w.style({});
    w.align(b.align);
    std::string& out = w.out();
    out += {GS, 'H', byte(b.text_below ? 2 : 0)};
    out += {GS, 'h', byte(b.height_dots)};
    out += {GS, 'w', byte(b.module_dots)};
    if (b.symbology == BarcodeSymbology::ean13) {
        const std::string data = normalize_ean13(b.data).value();  // validated before
        out += {GS, 'k', byte(67), byte(static_cast<int>(data.size()))};
        out += data;
        return;
    }
    std::string payload;
    const bool digits = b.data.size() >= 4 && b.data.size() % 2 == 0 &&
                        std::all_of(b.data.begin(), b.data.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {  // code set C: two digits per symbol, half the width
        payload = "{C";
        for (std::size_t i = 0; i < b.data.size(); i += 2)
            payload += byte((b.data[i] - '0') * 10 + (b.data[i + 1] - '0'));
    } else {
        payload = "{B";
        for (char c : b.data) {
            payload += c;
            if (c == '{') payload += '{';  // a literal '{' is sent twice
        }
    }
    out += {GS, 'k', byte(73), byte(static_cast<int>(payload.size()))};
    out += payload;
}

void qr(Writer& w, const QrBlock& q) {
    w.style({});
    w.align(q.align);
    std::string& out = w.out();
    const std::string head = {GS, '(', 'k'};
    out += head + std::string{4, 0, 49, 65, 50, 0};                // model 2
    out += head + std::string{3, 0, 49, 67, byte(q.module_dots)};  // module size
    out += head + std::string{3, 0, 49, 69, byte(48 + static_cast<int>(q.error_level))};
    out += head;
    put_u16(out, q.data.size() + 3);
    out += {49, 80, 48};  // store
    out += q.data;
    out += head + std::string{3, 0, 49, 81, 48};  // print
}

void image(Writer& w, const ImageBlock& im) {
    w.style({});
    w.align(im.align);
    std::string& out = w.out();
    const auto row_bytes = static_cast<std::size_t>((im.width_dots + 7) / 8);
    out += {GS, 'v', '0', 0};
    put_u16(out, row_bytes);
    put_u16(out, static_cast<std::size_t>(im.height_dots));
    const int tail_bits = im.width_dots % 8;
    const auto tail_mask = static_cast<std::uint8_t>(tail_bits == 0 ? 0xFF : (0xFF << (8 - tail_bits)) & 0xFF);
    for (int y = 0; y < im.height_dots; ++y) {
        const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(im.row_bytes);
        for (std::size_t x = 0; x < row_bytes; ++x) {
            std::uint8_t bits = im.bits[row + x];
            if (x + 1 == row_bytes) bits &= tail_mask;  // bits past the width are ignored
            out += static_cast<char>(bits);
        }
    }
}

std::string transliterate_one_char(const std::string& character, CodePage page, std::size_t* unknown) {
    std::string t = transliterate(character, page, unknown);
    return utf8_length(t) == 1 ? t : std::string("-");
}

}  // namespace

Receipt transliterate_receipt(const Receipt& receipt, CodePage page, std::size_t* unknown) {
    Receipt out = receipt;
    for (auto& block : out.blocks) {
        if (auto* t = std::get_if<TextBlock>(&block)) {
            t->text = transliterate(t->text, page, unknown);
        } else if (auto* c = std::get_if<ColumnsBlock>(&block)) {
            for (auto& col : c->columns) col.text = transliterate(col.text, page, unknown);
        } else if (auto* r = std::get_if<RuleBlock>(&block)) {
            if (utf8_length(r->character) == 1) r->character = transliterate_one_char(r->character, page, unknown);
        }
    }
    return out;
}

std::string encode_drawer_pulse(int pin, int on_ms, int off_ms) {
    return {ESC, 'p', byte(pin == 1 ? 1 : 0), byte(std::clamp(on_ms, 2, 510) / 2),
            byte(std::clamp(off_ms, 2, 510) / 2)};
}

Result<EncodedReceipt> encode_receipt(const Receipt& receipt, const EncoderOptions& options) {
    EncodedReceipt encoded;
    const Receipt printable = transliterate_receipt(receipt, options.code_page, &encoded.unknown_chars);
    if (auto valid = validate_receipt(printable, options.paper_dots); !valid.ok()) return valid.error();

    const int columns = std::max(1, options.columns);
    std::string& out = encoded.bytes;
    out.reserve(64 + receipt.blocks.size() * 48);
    out += {ESC, '@', ESC, 't', byte(code_page_info(options.code_page).escpos_number)};
    Writer w(out, options.code_page);
    for (const auto& block : printable.blocks) {
        if (const auto* t = std::get_if<TextBlock>(&block)) {
            w.align(t->align);
            w.style(t->style);
            for (const auto& line : wrap_text(t->text, line_width(columns, t->style))) w.line(line);
        } else if (const auto* c = std::get_if<ColumnsBlock>(&block)) {
            w.align(TextAlign::left);
            w.style(c->style);
            for (const auto& line : layout_columns(*c, line_width(columns, c->style), true)) w.line(line);
        } else if (const auto* r = std::get_if<RuleBlock>(&block)) {
            w.align(TextAlign::left);
            w.style({});
            std::string line;
            for (int i = 0; i < columns; ++i) line += r->character;
            w.line(line);
        } else if (const auto* b = std::get_if<BarcodeBlock>(&block)) {
            barcode(w, *b);
        } else if (const auto* q = std::get_if<QrBlock>(&block)) {
            qr(w, *q);
        } else if (const auto* im = std::get_if<ImageBlock>(&block)) {
            image(w, *im);
        } else if (const auto* f = std::get_if<FeedBlock>(&block)) {
            if (f->lines > 0) out += {ESC, 'd', byte(f->lines)};
        } else if (const auto* cut = std::get_if<CutBlock>(&block)) {
            out += {GS, 'V', byte(cut->kind == CutKind::full ? 65 : 66), 0};
        } else if (const auto* d = std::get_if<DrawerPulseBlock>(&block)) {
            out += encode_drawer_pulse(d->pin, d->on_ms, d->off_ms);
        }
    }
    if (options.with_plain_text) encoded.plain_text = plain_text(printable, columns);
    return encoded;
}

}  // namespace till::printer_escpos
