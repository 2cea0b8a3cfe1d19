#include "domain/printing/pbm_image.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace till::domain::printing {
namespace {

constexpr int kMaxDots = 4096;

sdk::Error bad(const std::string& message) { return sdk::Error{"invalid_image", message}; }

// Reads the next header integer, skipping whitespace and '#' comments.
bool header_int(std::string_view s, std::size_t& pos, int& out) {
    while (pos < s.size()) {
        if (s[pos] == '#') {
            while (pos < s.size() && s[pos] != '\n') ++pos;
        } else if (std::isspace(static_cast<unsigned char>(s[pos]))) {
            ++pos;
        } else {
            break;
        }
    }
    if (pos >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos]))) return false;
    long v = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        v = v * 10 + (s[pos] - '0');
        if (v > 1000000) return false;
        ++pos;
    }
    out = static_cast<int>(v);
    return true;
}

}  // namespace

sdk::Result<sdk::ImageBlock> parse_pbm(std::string_view s) {
    if (s.size() < 2 || s[0] != 'P' || (s[1] != '1' && s[1] != '4'))
        return bad("not a PBM image (expected \"P1\" or \"P4\" at the start)");
    const bool binary = s[1] == '4';
    std::size_t pos = 2;
    sdk::ImageBlock img;
    if (!header_int(s, pos, img.width_dots) || !header_int(s, pos, img.height_dots))
        return bad("PBM header: width and height expected");
    if (img.width_dots < 1 || img.height_dots < 1 || img.width_dots > kMaxDots || img.height_dots > kMaxDots)
        return bad("PBM size " + std::to_string(img.width_dots) + "x" + std::to_string(img.height_dots) +
                   " is out of range (1..4096 dots each way)");
    img.row_bytes = (img.width_dots + 7) / 8;
    img.bits.assign(static_cast<std::size_t>(img.row_bytes) * static_cast<std::size_t>(img.height_dots), 0);
    if (binary) {
        ++pos;  // the single whitespace after the height
        const std::size_t need = img.bits.size();
        if (s.size() < pos + need)
            return bad("PBM data is short: " + std::to_string(s.size() - std::min(pos, s.size())) + " bytes, expected " +
                       std::to_string(need));
        for (std::size_t i = 0; i < need; ++i) img.bits[i] = static_cast<std::uint8_t>(s[pos + i]);
        return img;
    }
    for (int y = 0; y < img.height_dots; ++y) {
        for (int x = 0; x < img.width_dots; ++x) {
            while (pos < s.size() && (std::isspace(static_cast<unsigned char>(s[pos])) || s[pos] == '#')) {
                if (s[pos] == '#')
                    while (pos < s.size() && s[pos] != '\n') ++pos;
                else
                    ++pos;
            }
            if (pos >= s.size()) return bad("PBM data is short: pixel " + std::to_string(x) + "," + std::to_string(y) + " missing");
            if (s[pos] != '0' && s[pos] != '1') return bad(std::string("PBM data: unexpected character '") + s[pos] + "'");
            if (s[pos] == '1')
                img.bits[static_cast<std::size_t>(y * img.row_bytes + x / 8)] |= static_cast<std::uint8_t>(0x80 >> (x % 8));
            ++pos;
        }
    }
    return img;
}

sdk::Result<sdk::ImageBlock> read_pbm(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return sdk::Error{"not_found", "cannot read " + path};
    std::ostringstream content;
    content << in.rdbuf();
    auto img = parse_pbm(content.str());
    if (!img) return sdk::Error{img.error().code, path + ": " + img.error().message};
    return img;
}

}  // namespace till::domain::printing
