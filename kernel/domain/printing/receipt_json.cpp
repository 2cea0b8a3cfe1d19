#include "domain/printing/receipt_json.hpp"

#include <type_traits>

namespace till::domain::printing {
namespace {

using sdk::Value;

const char* align_name(sdk::TextAlign a) {
    return a == sdk::TextAlign::center ? "center" : a == sdk::TextAlign::right ? "right" : "left";
}
sdk::TextAlign align_from(const Value& v) {
    const std::string& s = v.as_string();
    return s == "center" ? sdk::TextAlign::center : s == "right" ? sdk::TextAlign::right : sdk::TextAlign::left;
}
Value style_value(const sdk::TextStyle& s) {
    Value v = Value::map();
    v.set("bold", s.bold);
    v.set("underline", s.underline);
    v.set("double_width", s.double_width);
    v.set("double_height", s.double_height);
    return v;
}
sdk::TextStyle style_from(const Value& v) {
    return sdk::TextStyle{v["bold"].as_bool(), v["underline"].as_bool(), v["double_width"].as_bool(),
                          v["double_height"].as_bool()};
}
std::string hex(const std::vector<std::uint8_t>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}
bool unhex(const std::string& s, std::vector<std::uint8_t>& out) {
    if (s.size() % 2) return false;
    auto nib = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    out.clear();
    for (std::size_t i = 0; i < s.size(); i += 2) {
        int hi = nib(s[i]), lo = nib(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return true;
}
int as_int(const Value& v, std::int64_t fallback) { return static_cast<int>(v.as_int(fallback)); }

}  // namespace

Value receipt_to_value(const sdk::Receipt& r) {
    Value out = Value::map();
    out.set("kind", r.kind);
    out.set("job_id", r.job_id);
    out.set("language", r.language);
    Value blocks = Value::list();
    for (const auto& block : r.blocks) {
        Value b = Value::map();
        std::visit(
            [&](const auto& x) {
                using B = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<B, sdk::TextBlock>) {
                    b.set("type", "text");
                    b.set("text", x.text);
                    b.set("align", align_name(x.align));
                    b.set("style", style_value(x.style));
                } else if constexpr (std::is_same_v<B, sdk::ColumnsBlock>) {
                    b.set("type", "columns");
                    b.set("gap_chars", x.gap_chars);
                    b.set("style", style_value(x.style));
                    Value cols = Value::list();
                    for (const auto& c : x.columns) {
                        Value cv = Value::map();
                        cv.set("text", c.text);
                        cv.set("width_chars", c.width_chars);
                        cv.set("share", c.share);
                        cv.set("align", align_name(c.align));
                        cols.push_back(std::move(cv));
                    }
                    b.set("columns", std::move(cols));
                } else if constexpr (std::is_same_v<B, sdk::RuleBlock>) {
                    b.set("type", "rule");
                    b.set("character", x.character);
                } else if constexpr (std::is_same_v<B, sdk::BarcodeBlock>) {
                    b.set("type", "barcode");
                    b.set("symbology", x.symbology == sdk::BarcodeSymbology::ean13 ? "ean13" : "code128");
                    b.set("data", x.data);
                    b.set("text_below", x.text_below);
                    b.set("height_dots", x.height_dots);
                    b.set("module_dots", x.module_dots);
                    b.set("align", align_name(x.align));
                } else if constexpr (std::is_same_v<B, sdk::QrBlock>) {
                    b.set("type", "qr");
                    b.set("data", x.data);
                    b.set("module_dots", x.module_dots);
                    b.set("error_level", static_cast<int>(x.error_level));
                    b.set("align", align_name(x.align));
                } else if constexpr (std::is_same_v<B, sdk::ImageBlock>) {
                    b.set("type", "image");
                    b.set("width_dots", x.width_dots);
                    b.set("height_dots", x.height_dots);
                    b.set("row_bytes", x.row_bytes);
                    b.set("bits_hex", hex(x.bits));
                    b.set("align", align_name(x.align));
                } else if constexpr (std::is_same_v<B, sdk::FeedBlock>) {
                    b.set("type", "feed");
                    b.set("lines", x.lines);
                } else if constexpr (std::is_same_v<B, sdk::CutBlock>) {
                    b.set("type", "cut");
                    b.set("kind", x.kind == sdk::CutKind::full ? "full" : "partial");
                } else if constexpr (std::is_same_v<B, sdk::DrawerPulseBlock>) {
                    b.set("type", "drawer");
                    b.set("pin", x.pin);
                    b.set("on_ms", x.on_ms);
                    b.set("off_ms", x.off_ms);
                }
            },
            block);
        blocks.push_back(std::move(b));
    }
    out.set("blocks", std::move(blocks));
    return out;
}

sdk::Result<sdk::Receipt> receipt_from_value(const Value& v) {
    if (!v.is_map()) return sdk::Error{"invalid_document", "a receipt is a JSON object"};
    sdk::Receipt r;
    r.kind = v["kind"].as_string();
    r.job_id = v["job_id"].as_string();
    r.language = v["language"].as_string();
    std::size_t i = 0;
    for (const auto& b : v["blocks"].as_list()) {
        const std::string& type = b["type"].as_string();
        const std::string where = "blocks[" + std::to_string(i++) + "]";
        if (type == "text") {
            r.blocks.emplace_back(sdk::TextBlock{b["text"].as_string(), align_from(b["align"]), style_from(b["style"])});
        } else if (type == "columns") {
            sdk::ColumnsBlock c;
            c.gap_chars = as_int(b["gap_chars"], 1);
            c.style = style_from(b["style"]);
            for (const auto& cv : b["columns"].as_list())
                c.columns.push_back(sdk::Column{cv["text"].as_string(), as_int(cv["width_chars"], 0),
                                                as_int(cv["share"], 1), align_from(cv["align"])});
            r.blocks.emplace_back(std::move(c));
        } else if (type == "rule") {
            r.blocks.emplace_back(sdk::RuleBlock{b["character"].as_string("-")});
        } else if (type == "barcode") {
            sdk::BarcodeBlock x;
            x.symbology = b["symbology"].as_string() == "ean13" ? sdk::BarcodeSymbology::ean13 : sdk::BarcodeSymbology::code128;
            x.data = b["data"].as_string();
            x.text_below = b["text_below"].as_bool(true);
            x.height_dots = as_int(b["height_dots"], 80);
            x.module_dots = as_int(b["module_dots"], 2);
            x.align = align_from(b["align"]);
            r.blocks.emplace_back(std::move(x));
        } else if (type == "qr") {
            sdk::QrBlock x;
            x.data = b["data"].as_string();
            x.module_dots = as_int(b["module_dots"], 6);
            int level = as_int(b["error_level"], 1);
            if (level < 0 || level > 3) return sdk::Error{"invalid_document", where + ": error_level out of range"};
            x.error_level = static_cast<sdk::QrErrorLevel>(level);
            x.align = align_from(b["align"]);
            r.blocks.emplace_back(std::move(x));
        } else if (type == "image") {
            sdk::ImageBlock x;
            x.width_dots = as_int(b["width_dots"], 0);
            x.height_dots = as_int(b["height_dots"], 0);
            x.row_bytes = as_int(b["row_bytes"], 0);
            if (!unhex(b["bits_hex"].as_string(), x.bits))
                return sdk::Error{"invalid_document", where + ": bits_hex is not lower-case hex"};
            x.align = align_from(b["align"]);
            r.blocks.emplace_back(std::move(x));
        } else if (type == "feed") {
            r.blocks.emplace_back(sdk::FeedBlock{as_int(b["lines"], 1)});
        } else if (type == "cut") {
            r.blocks.emplace_back(sdk::CutBlock{b["kind"].as_string() == "full" ? sdk::CutKind::full : sdk::CutKind::partial});
        } else if (type == "drawer") {
            r.blocks.emplace_back(sdk::DrawerPulseBlock{as_int(b["pin"], 0), as_int(b["on_ms"], 100), as_int(b["off_ms"], 100)});
        } else {
            return sdk::Error{"invalid_document", where + ": unknown type \"" + type + "\""};
        }
    }
    return r;
}

}  // namespace till::domain::printing
