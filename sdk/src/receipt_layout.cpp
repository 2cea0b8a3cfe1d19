// The receipt model's builders and the layout rules every printer shares
// (see receipt.hpp). Pure functions over UTF-8 strings; no I/O, no state.
#include "till/sdk/receipt.hpp"

#include <algorithm>
#include <numeric>

namespace till::sdk {
namespace {

constexpr std::size_t kMaxQrBytes = 2953;      // model 2, byte mode, level L, version 40
constexpr std::size_t kMaxCode128Bytes = 250;  // GS k takes at most 255 bytes with the code set prefix
constexpr int kMaxImageHeightDots = 2303;      // GS v 0 limit on common printers

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

/// Byte offset of every code point in `s`, plus s.size() at the end.
std::vector<std::size_t> code_point_starts(std::string_view s) {
    std::vector<std::size_t> starts;
    starts.reserve(s.size() + 1);
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!is_continuation(static_cast<unsigned char>(s[i]))) starts.push_back(i);
    starts.push_back(s.size());
    return starts;
}

void trim_right(std::string& s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
}

/// Control characters become spaces, '\r' goes; '\n' stays (paragraphs).
std::string sanitize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\r') continue;
        if (c == '\n') {
            out += '\n';
        } else if (c < 0x20 || c == 0x7F) {
            out += ' ';
        } else {
            out += ch;
        }
    }
    return out;
}

void wrap_paragraph(std::string_view p, std::size_t width, std::vector<std::string>& lines) {
    const auto starts = code_point_starts(p);
    const std::size_t n = starts.size() - 1;
    std::size_t first = 0;  // code point index where the current line starts
    while (n - first > width) {
        std::size_t brk = 0;  // code points of the line when breaking at a space
        for (std::size_t i = width; i >= 1; --i) {
            if (p[starts[first + i]] == ' ') {
                brk = i;
                break;
            }
        }
        std::size_t next = 0;
        std::string line;
        if (brk > 0) {
            line.assign(p.substr(starts[first], starts[first + brk] - starts[first]));
            trim_right(line);
            next = first + brk;
            while (next < n && p[starts[next]] == ' ') ++next;
        } else {
            line.assign(p.substr(starts[first], starts[first + width] - starts[first]));
            next = first + width;
        }
        lines.push_back(std::move(line));
        first = next;
        if (first >= n) return;
    }
    lines.emplace_back(p.substr(starts[first]));
}

std::string spaces(std::size_t n) {
    return std::string(n, ' ');
}

const char* block_name(const ReceiptBlock& block) {
    static constexpr const char* names[] = {"text",  "columns", "rule", "barcode",     "qr",
                                            "image", "feed",    "cut",  "drawer_pulse"};
    return names[block.index()];
}

std::string check_barcode(const BarcodeBlock& b) {
    if (b.height_dots < 1 || b.height_dots > 255)
        return "height_dots must be 1..255, got " + std::to_string(b.height_dots);
    if (b.module_dots < 2 || b.module_dots > 6) return "module_dots must be 2..6, got " + std::to_string(b.module_dots);
    if (b.symbology == BarcodeSymbology::ean13) {
        auto ean = normalize_ean13(b.data);
        return ean ? std::string() : ean.error().message;
    }
    if (b.data.empty()) return "CODE128 data is empty";
    if (b.data.size() > kMaxCode128Bytes)
        return "CODE128 data is " + std::to_string(b.data.size()) + " bytes, at most " +
               std::to_string(kMaxCode128Bytes);
    for (std::size_t i = 0; i < b.data.size(); ++i) {
        const auto c = static_cast<unsigned char>(b.data[i]);
        if (c < 0x20 || c > 0x7E)
            return "CODE128 data has a character that is not printable ASCII at byte " + std::to_string(i);
    }
    return {};
}

std::string check_block(const ReceiptBlock& block, int paper_dots) {
    if (const auto* c = std::get_if<ColumnsBlock>(&block)) {
        if (c->columns.empty()) return "no columns";
        if (c->gap_chars < 0 || c->gap_chars > 16) return "gap_chars must be 0..16";
        for (std::size_t i = 0; i < c->columns.size(); ++i) {
            const auto& col = c->columns[i];
            if (col.width_chars < 0) return "columns[" + std::to_string(i) + "].width_chars is negative";
            if (col.width_chars == 0 && col.share < 1)
                return "columns[" + std::to_string(i) + "].share must be 1 or more";
        }
    } else if (const auto* r = std::get_if<RuleBlock>(&block)) {
        if (utf8_length(r->character) != 1 || r->character[0] == '\n' ||
            static_cast<unsigned char>(r->character[0]) < 0x20)
            return "character must be one printable character, got \"" + r->character + "\"";
    } else if (const auto* b = std::get_if<BarcodeBlock>(&block)) {
        return check_barcode(*b);
    } else if (const auto* q = std::get_if<QrBlock>(&block)) {
        if (q->data.empty()) return "QR data is empty";
        if (q->data.size() > kMaxQrBytes)
            return "QR data is " + std::to_string(q->data.size()) + " bytes, at most " + std::to_string(kMaxQrBytes);
        if (q->module_dots < 1 || q->module_dots > 16)
            return "module_dots must be 1..16, got " + std::to_string(q->module_dots);
    } else if (const auto* im = std::get_if<ImageBlock>(&block)) {
        if (im->width_dots < 1 || im->height_dots < 1) return "width_dots and height_dots must be 1 or more";
        if (im->width_dots > paper_dots)
            return "image is " + std::to_string(im->width_dots) + " dots wide, the paper " + std::to_string(paper_dots);
        if (im->height_dots > kMaxImageHeightDots)
            return "image is " + std::to_string(im->height_dots) + " dots high, at most " +
                   std::to_string(kMaxImageHeightDots);
        if (im->row_bytes < (im->width_dots + 7) / 8)
            return "row_bytes " + std::to_string(im->row_bytes) + " is less than (width_dots + 7) / 8";
        const auto expected = static_cast<std::size_t>(im->row_bytes) * static_cast<std::size_t>(im->height_dots);
        if (im->bits.size() != expected)
            return "bits has " + std::to_string(im->bits.size()) +
                   " bytes, expected row_bytes * height_dots = " + std::to_string(expected);
    } else if (const auto* f = std::get_if<FeedBlock>(&block)) {
        if (f->lines < 0 || f->lines > 255) return "lines must be 0..255, got " + std::to_string(f->lines);
    } else if (const auto* d = std::get_if<DrawerPulseBlock>(&block)) {
        if (d->pin != 0 && d->pin != 1) return "pin must be 0 or 1, got " + std::to_string(d->pin);
        if (d->on_ms < 2 || d->on_ms > 510 || d->off_ms < 2 || d->off_ms > 510)
            return "on_ms and off_ms must be 2..510";
    }
    return {};
}

/// Appends `marker` wrapped to `columns` and aligned (plain text).
void add_marker(std::vector<std::string>& rows, const std::string& marker, TextAlign align, int columns) {
    for (const auto& line : wrap_text(marker, columns)) rows.push_back(align_text(line, align, columns, true));
}

const char* barcode_label(BarcodeSymbology s) {
    return s == BarcodeSymbology::ean13 ? "EAN-13" : "CODE128";
}

}  // namespace

// ---------------------------------------------------------------------------
// Builders

Receipt& Receipt::text(std::string text, TextAlign align, TextStyle style) {
    blocks.emplace_back(TextBlock{std::move(text), align, style});
    return *this;
}

Receipt& Receipt::columns(std::vector<Column> cells, TextStyle style, int gap_chars) {
    blocks.emplace_back(ColumnsBlock{std::move(cells), gap_chars, style});
    return *this;
}

Receipt& Receipt::rule(std::string character) {
    blocks.emplace_back(RuleBlock{std::move(character)});
    return *this;
}

Receipt& Receipt::barcode(BarcodeSymbology symbology, std::string data, bool text_below) {
    BarcodeBlock b;
    b.symbology = symbology;
    b.data = std::move(data);
    b.text_below = text_below;
    blocks.emplace_back(std::move(b));
    return *this;
}

Receipt& Receipt::qr(std::string data, QrErrorLevel level, int module_dots) {
    blocks.emplace_back(QrBlock{std::move(data), module_dots, level, TextAlign::center});
    return *this;
}

Receipt& Receipt::image(ImageBlock image) {
    blocks.emplace_back(std::move(image));
    return *this;
}

Receipt& Receipt::feed(int lines) {
    blocks.emplace_back(FeedBlock{lines});
    return *this;
}

Receipt& Receipt::cut(CutKind kind) {
    blocks.emplace_back(CutBlock{kind});
    return *this;
}

Receipt& Receipt::drawer_pulse(int pin, int on_ms, int off_ms) {
    blocks.emplace_back(DrawerPulseBlock{pin, on_ms, off_ms});
    return *this;
}

// ---------------------------------------------------------------------------
// Layout

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        if (!is_continuation(static_cast<unsigned char>(c))) ++n;
    return n;
}

std::string utf8_prefix(std::string_view text, std::size_t max_chars) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_continuation(static_cast<unsigned char>(text[i]))) continue;
        if (seen == max_chars) return std::string(text.substr(0, i));
        ++seen;
    }
    return std::string(text);
}

int line_width(int columns, const TextStyle& style) {
    return std::max(1, style.double_width ? columns / 2 : columns);
}

std::vector<std::string> wrap_text(std::string_view text, int width) {
    const auto w = static_cast<std::size_t>(std::max(1, width));
    const std::string clean = sanitize(text);
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = clean.find('\n', start);
        const std::string_view paragraph =
            std::string_view(clean).substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        wrap_paragraph(paragraph, w, lines);
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return lines;
}

std::string align_text(std::string_view text, TextAlign align, int width, bool trim) {
    const std::size_t len = utf8_length(text);
    const std::size_t pad =
        width > 0 && len < static_cast<std::size_t>(width) ? static_cast<std::size_t>(width) - len : 0;
    std::string out;
    out.reserve(text.size() + pad);
    switch (align) {
        case TextAlign::left:
            out.append(text).append(spaces(pad));
            break;
        case TextAlign::center:
            out.append(spaces(pad / 2)).append(text).append(spaces(pad - pad / 2));
            break;
        case TextAlign::right:
            out.append(spaces(pad)).append(text);
            break;
    }
    if (trim) trim_right(out);
    return out;
}

std::vector<int> fit_columns(const ColumnsBlock& block, int width) {
    const int n = static_cast<int>(block.columns.size());
    std::vector<int> widths(block.columns.size(), 0);
    if (n == 0) return widths;
    const int available = width - std::max(0, block.gap_chars) * (n - 1);
    int fixed = 0;
    int shares = 0;
    int share_columns = 0;
    for (const auto& c : block.columns) {
        if (c.width_chars > 0) {
            fixed += c.width_chars;
        } else {
            shares += std::max(1, c.share);
            ++share_columns;
        }
    }
    const int rest = available - fixed;
    if (share_columns > 0 && rest >= share_columns) {
        int given = 0;
        for (int i = 0; i < n; ++i) {
            const auto& c = block.columns[static_cast<std::size_t>(i)];
            if (c.width_chars > 0) {
                widths[static_cast<std::size_t>(i)] = c.width_chars;
            } else {
                const int w = rest * std::max(1, c.share) / shares;
                widths[static_cast<std::size_t>(i)] = w;
                given += w;
            }
        }
        for (int i = 0; i < n && given < rest; ++i) {  // remainder: one each to the first share columns
            if (block.columns[static_cast<std::size_t>(i)].width_chars > 0) continue;
            ++widths[static_cast<std::size_t>(i)];
            ++given;
        }
        return widths;
    }
    // Not enough room: share columns get 1, then the widest columns shrink.
    for (int i = 0; i < n; ++i) {
        const auto& c = block.columns[static_cast<std::size_t>(i)];
        widths[static_cast<std::size_t>(i)] = c.width_chars > 0 ? c.width_chars : 1;
    }
    int total = std::accumulate(widths.begin(), widths.end(), 0);
    while (total > available) {
        auto widest = std::max_element(widths.begin(), widths.end());
        if (*widest <= 1) break;
        --*widest;
        --total;
    }
    return widths;
}

std::vector<std::string> layout_columns(const ColumnsBlock& block, int width, bool trim) {
    const auto widths = fit_columns(block, width);
    std::vector<std::vector<std::string>> cells;
    std::size_t rows = 1;
    for (std::size_t i = 0; i < block.columns.size(); ++i) {
        cells.push_back(wrap_text(block.columns[i].text, widths[i]));
        rows = std::max(rows, cells.back().size());
    }
    const std::string gap = spaces(static_cast<std::size_t>(std::max(0, block.gap_chars)));
    std::vector<std::string> lines;
    for (std::size_t r = 0; r < rows; ++r) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) line += gap;
            const std::string& text = r < cells[i].size() ? cells[i][r] : std::string();
            line += align_text(text, block.columns[i].align, widths[i]);
        }
        if (utf8_length(line) > static_cast<std::size_t>(width))
            line = utf8_prefix(line, static_cast<std::size_t>(width));
        line = align_text(line, TextAlign::left, width, trim);
        lines.push_back(std::move(line));
    }
    return lines;
}

Result<std::string> normalize_ean13(std::string_view data) {
    if (data.size() != 12 && data.size() != 13)
        return Error{"invalid_argument",
                     "EAN-13 needs 12 or 13 digits, got " + std::to_string(data.size()) + " characters"};
    for (char c : data)
        if (c < '0' || c > '9') return Error{"invalid_argument", "EAN-13 data must be digits only"};
    int sum = 0;
    for (std::size_t i = 0; i < 12; ++i) sum += (data[i] - '0') * (i % 2 == 0 ? 1 : 3);
    const char check = static_cast<char>('0' + (10 - sum % 10) % 10);
    if (data.size() == 12) return std::string(data) + check;
    if (data[12] != check)
        return Error{"invalid_argument", std::string("EAN-13 check digit is ") + data[12] + ", expected " + check};
    return std::string(data);
}

Status validate_receipt(const Receipt& receipt, int paper_dots) {
    for (std::size_t i = 0; i < receipt.blocks.size(); ++i) {
        const std::string problem = check_block(receipt.blocks[i], paper_dots);
        if (!problem.empty())
            return Status::failure("invalid_argument", "blocks[" + std::to_string(i) + "] (" +
                                                           block_name(receipt.blocks[i]) + "): " + problem);
    }
    return {};
}

int paper_dots_for_columns(int columns) {
    return columns <= 35 ? 384 : 576;
}

std::vector<std::string> render_plain_text(const Receipt& receipt, int columns) {
    columns = std::max(1, columns);
    const int paper_dots = paper_dots_for_columns(columns);
    std::vector<std::string> rows;
    for (const auto& block : receipt.blocks) {
        if (const std::string problem = check_block(block, paper_dots); !problem.empty()) {
            add_marker(rows, "[invalid: " + problem + "]", TextAlign::left, columns);
            continue;
        }
        if (const auto* t = std::get_if<TextBlock>(&block)) {
            const int scale = t->style.double_width ? 2 : 1;
            for (const auto& line : wrap_text(t->text, line_width(columns, t->style))) {
                const std::size_t visual = utf8_length(line) * static_cast<std::size_t>(scale);
                const std::size_t pad =
                    visual < static_cast<std::size_t>(columns) ? static_cast<std::size_t>(columns) - visual : 0;
                std::string row = t->align == TextAlign::left     ? line
                                  : t->align == TextAlign::center ? spaces(pad / 2) + line
                                                                  : spaces(pad) + line;
                trim_right(row);
                rows.push_back(std::move(row));
            }
        } else if (const auto* c = std::get_if<ColumnsBlock>(&block)) {
            for (auto& line : layout_columns(*c, line_width(columns, c->style), true)) rows.push_back(std::move(line));
        } else if (const auto* r = std::get_if<RuleBlock>(&block)) {
            std::string row;
            for (int i = 0; i < columns; ++i) row += r->character;
            rows.push_back(std::move(row));
        } else if (const auto* b = std::get_if<BarcodeBlock>(&block)) {
            const std::string data =
                b->symbology == BarcodeSymbology::ean13 ? normalize_ean13(b->data).value() : b->data;
            add_marker(rows, std::string("[") + barcode_label(b->symbology) + ": " + data + "]", b->align, columns);
        } else if (const auto* q = std::get_if<QrBlock>(&block)) {
            add_marker(rows, "[QR: " + q->data + "]", q->align, columns);
        } else if (const auto* im = std::get_if<ImageBlock>(&block)) {
            add_marker(rows, "[image " + std::to_string(im->width_dots) + "x" + std::to_string(im->height_dots) + "]",
                       im->align, columns);
        } else if (const auto* f = std::get_if<FeedBlock>(&block)) {
            for (int i = 0; i < f->lines; ++i) rows.emplace_back();
        } else if (const auto* cut = std::get_if<CutBlock>(&block)) {
            rows.emplace_back(cut->kind == CutKind::full ? "--- cut ---" : "- - - cut - - -");
        } else if (std::holds_alternative<DrawerPulseBlock>(block)) {
            rows.emplace_back("[drawer]");
        }
    }
    return rows;
}

std::string plain_text(const Receipt& receipt, int columns) {
    std::string out;
    for (const auto& row : render_plain_text(receipt, columns)) {
        out += row;
        out += '\n';
    }
    return out;
}

}  // namespace till::sdk
