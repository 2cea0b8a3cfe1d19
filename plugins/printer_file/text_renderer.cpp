#include "text_renderer.hpp"

#include <algorithm>

namespace till::printer_file {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// Byte offsets where each code point starts, plus text.size() at the end.
std::vector<std::size_t> code_point_offsets(std::string_view text) {
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (!is_continuation(static_cast<unsigned char>(text[i]))) offsets.push_back(i);
    offsets.push_back(text.size());
    return offsets;
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

void wrap_paragraph(std::string_view rest, std::size_t width, std::vector<std::string>& out) {
    while (display_width(rest) > width) {
        auto offsets = code_point_offsets(rest);
        // Break before the last space at code point index <= width whose
        // preceding text is not blank: that space and its neighbours go.
        std::size_t cut_bytes = 0;
        for (std::size_t cp = width; cp >= 1; --cp) {
            if (rest[offsets[cp]] == ' ' && !trim_right(rest.substr(0, offsets[cp])).empty()) {
                cut_bytes = offsets[cp];
                break;
            }
        }
        std::string_view piece;
        if (cut_bytes > 0) {
            piece = trim_right(rest.substr(0, cut_bytes));
            rest = trim_left(rest.substr(cut_bytes));
        } else {  // one word longer than the line: cut it
            piece = rest.substr(0, offsets[width]);
            rest = rest.substr(offsets[width]);
        }
        out.emplace_back(piece);
    }
    out.emplace_back(rest);
}

}  // namespace

std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return !is_continuation(static_cast<unsigned char>(c)); }));
}

std::string sanitize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\r') continue;
        if (c == '\n') out += '\n';
        else if (u < 0x20 || u == 0x7F) out += ' ';
        else out += c;
    }
    return out;
}

std::vector<std::string> wrap_text(std::string_view text, int width) {
    const auto w = static_cast<std::size_t>(std::max(width, 1));
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t nl = text.find('\n', start);
        std::string_view paragraph = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
        wrap_paragraph(paragraph, w, out);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return out;
}

std::string align_text(std::string_view text, sdk::PrintLine::Align align, int width) {
    const std::size_t w = display_width(text);
    const std::size_t total = static_cast<std::size_t>(std::max(width, 0));
    const std::size_t free = total > w ? total - w : 0;
    std::size_t pad = 0;
    switch (align) {
        case sdk::PrintLine::Align::left: pad = 0; break;
        case sdk::PrintLine::Align::center: pad = free / 2; break;
        case sdk::PrintLine::Align::right: pad = free; break;
    }
    std::string out(pad, ' ');
    out += text;
    return out;
}

std::vector<std::string> render_line(const sdk::PrintLine& line, int columns) {
    const int width = std::max(columns, kMinColumns);
    const std::string text = sanitize(line.text);
    std::vector<std::string> rows;
    switch (line.style) {
        case sdk::PrintLine::Style::normal:
            for (const auto& piece : wrap_text(text, width)) rows.push_back(align_text(piece, line.align, width));
            break;
        case sdk::PrintLine::Style::bold:
            for (const auto& piece : wrap_text(text, width - 2)) {
                // "**" for an empty piece would read as a stray mark.
                rows.push_back(piece.empty() ? std::string() : align_text("*" + piece + "*", line.align, width));
            }
            break;
        case sdk::PrintLine::Style::double_height:
            for (const auto& piece : wrap_text(text, width)) {
                rows.push_back(align_text(piece, line.align, width));
                rows.push_back(align_text(std::string(display_width(piece), '='), line.align, width));
            }
            break;
    }
    return rows;
}

std::vector<std::string> render_job(const sdk::PrintJob& job, int columns) {
    const int width = std::max(columns, kMinColumns);
    std::vector<std::string> rows;
    for (const auto& line : job.lines) {
        auto part = render_line(line, width);
        rows.insert(rows.end(), part.begin(), part.end());
    }
    if (!job.barcode.empty()) {
        for (const auto& piece : wrap_text("[barcode: " + sanitize(job.barcode) + "]", width))
            rows.push_back(align_text(piece, sdk::PrintLine::Align::center, width));
    }
    if (job.open_drawer) rows.emplace_back(kDrawerKickLine);
    if (job.cut_after) rows.emplace_back(kCutLine);
    return rows;
}

}  // namespace till::printer_file
