// Parsing receipt templates (receipt_template.hpp): line by line, recording
// every problem with its line and column and carrying on, so a merchant sees
// all mistakes of a file at once.
#include <algorithm>
#include <cctype>
#include <optional>

#include "domain/printing/pbm_image.hpp"
#include "domain/printing/receipt_template.hpp"
#include "domain/printing/template_ast.hpp"

namespace till::domain::printing {
namespace {

using sdk::TextAlign;

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

std::optional<int> small_int(std::string_view s, int min, int max) {
    if (!all_digits(s) || s.size() > 6) return std::nullopt;
    int v = std::stoi(std::string(s));
    if (v < min || v > max) return std::nullopt;
    return v;
}

const std::vector<std::string>& style_words() {
    static const std::vector<std::string> words = {"left", "center", "right", "bold", "underline", "wide", "tall", "double"};
    return words;
}
const std::vector<std::string>& block_words() {
    static const std::vector<std::string> words = {"columns", "rule", "barcode", "qr", "logo", "feed", "cut", "drawer"};
    return words;
}

struct OpenBlock {
    TemplateNode node;
    std::string closer;  ///< "{{/path}}", "{{/?}}" or "{{/^}}"
};

class Parser {
public:
    Parser(std::string file, const std::vector<std::string>& roots, std::string base_dir,
           std::vector<TemplateError>& errors)
        : file_(std::move(file)), roots_(roots), base_dir_(std::move(base_dir)), errors_(errors) {}

    std::vector<TemplateNode> parse(std::string_view text) {
        int line_no = 0;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            ++line_no;
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (!(end == text.size() && line.empty())) parse_line(line, line_no);
            if (end == text.size()) break;
            start = end + 1;
        }
        while (!open_.empty()) {
            const auto& b = open_.back();
            error(b.node.line, b.node.col, "this block is never closed (expected " + b.closer + ")");
            close_top();
        }
        return std::move(root_);
    }

private:
    void error(int line, int col, std::string message) {
        errors_.push_back(TemplateError{file_, line, col, std::move(message)});
    }
    int col_of(std::string_view line, std::string_view part) const {
        return static_cast<int>(part.data() - line.data()) + 1;
    }
    std::vector<TemplateNode>& current() { return open_.empty() ? root_ : open_.back().node.children; }
    int section_depth() const {
        return static_cast<int>(std::count_if(open_.begin(), open_.end(),
                                              [](const OpenBlock& b) { return b.node.kind == NodeKind::section; }));
    }
    void close_top() {
        TemplateNode node = std::move(open_.back().node);
        open_.pop_back();
        current().push_back(std::move(node));
    }

    void parse_line(std::string_view line, int line_no) {
        std::string_view t = trim(line);
        if (t.substr(0, 2) == "@#") return;
        if (t.size() >= 5 && t.substr(0, 2) == "{{" && t.substr(t.size() - 2) == "}}" &&
            std::string_view("#?^/").find(t[2]) != std::string_view::npos &&
            t.find("{{", 2) == std::string_view::npos) {
            block_tag(line, t, line_no);
            return;
        }
        TemplateNode node;
        node.line = line_no;
        node.col = 1;
        std::string_view rest = line;
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
        if (rest.empty() || rest.front() != '@' || rest.substr(0, 2) == "@@") {
            // A text line: printed as it is (leading spaces kept, "@@" for a literal '@').
            std::string_view body = line;
            while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
            if (rest.substr(0, 2) == "@@") body = rest.substr(1);
            node.kind = NodeKind::text;
            parse_text(line, body, line_no, node.text);
            current().push_back(std::move(node));
            return;
        }
        while (!rest.empty() && rest.front() == '@' && rest.substr(0, 2) != "@@") {
            std::size_t n = 1;
            while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) || rest[n] == '_')) ++n;
            const std::string word(rest.substr(1, n - 1));
            const int word_col = col_of(line, rest);
            std::string_view after = rest.substr(n);
            if (!after.empty() && after.front() != ' ' && after.front() != '\t') {
                error(line_no, word_col, "a directive is followed by a space: \"@" + word + "\" then \"" +
                                             std::string(after.substr(0, 1)) + "\"");
                return;
            }
            while (!after.empty() && (after.front() == ' ' || after.front() == '\t')) after.remove_prefix(1);
            if (word == "left") node.align = TextAlign::left;
            else if (word == "center") node.align = TextAlign::center;
            else if (word == "right") node.align = TextAlign::right;
            else if (word == "bold") node.style.bold = true;
            else if (word == "underline") node.style.underline = true;
            else if (word == "wide") node.style.double_width = true;
            else if (word == "tall") node.style.double_height = true;
            else if (word == "double") node.style.double_width = node.style.double_height = true;
            else if (std::find(block_words().begin(), block_words().end(), word) != block_words().end()) {
                node.col = word_col;
                block_directive(line, word, after, line_no, std::move(node));
                return;
            } else {
                error(line_no, word_col, "unknown directive \"@" + word + "\" (style words: " + join(style_words()) +
                                             "; blocks: " + join(block_words()) + ")");
                return;
            }
            rest = after;
        }
        if (rest.substr(0, 2) == "@@") rest.remove_prefix(1);
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
        node.kind = NodeKind::text;
        parse_text(line, rest, line_no, node.text);
        current().push_back(std::move(node));
    }

    void block_tag(std::string_view line, std::string_view tag, int line_no) {
        const int col = col_of(line, tag);
        const char sigil = tag[2];
        std::string_view inner = trim(tag.substr(3, tag.size() - 5));
        if (sigil == '/') {
            std::string closer = "{{/" + std::string(inner) + "}}";
            if (open_.empty()) {
                error(line_no, col, closer + " closes nothing");
                return;
            }
            if (open_.back().closer != closer) {
                error(line_no, col, closer + " does not close the open block (line " +
                                        std::to_string(open_.back().node.line) + "), which ends with " +
                                        open_.back().closer);
                return;
            }
            close_top();
            return;
        }
        TemplateNode node;
        node.line = line_no;
        node.col = col;
        node.kind = sigil == '#' ? NodeKind::section : sigil == '?' ? NodeKind::when : NodeKind::unless;
        if (!parse_value(inner, line_no, col + 3, node.subject)) return;
        if (!node.subject.filters.empty()) {
            error(line_no, col, "sections and conditionals take a value without filters");
            return;
        }
        std::string closer = sigil == '#' ? "{{/" + std::string(inner) + "}}" : sigil == '?' ? "{{/?}}" : "{{/^}}";
        open_.push_back(OpenBlock{std::move(node), std::move(closer)});
    }

    // `{{...}}` pieces of `body` (a part of `line`).
    void parse_text(std::string_view line, std::string_view body, int line_no, TemplateText& out) {
        std::size_t pos = 0;
        std::string literal;
        while (pos < body.size()) {
            std::size_t open = body.find("{{", pos);
            if (open == std::string_view::npos) {
                literal += body.substr(pos);
                break;
            }
            literal += body.substr(pos, open - pos);
            const int col = col_of(line, body.substr(open));
            std::size_t close = body.find("}}", open + 2);
            if (close == std::string_view::npos) {
                error(line_no, col, "\"{{\" is not closed by \"}}\" on this line");
                return;
            }
            std::string_view inner = body.substr(open + 2, close - open - 2);
            std::string_view trimmed = trim(inner);
            if (!trimmed.empty() && std::string_view("#?^/").find(trimmed.front()) != std::string_view::npos) {
                error(line_no, col, "sections and conditionals ({{#...}}, {{?...}}, {{^...}}, {{/...}}) stand on a line "
                                    "of their own");
                return;
            }
            TextPiece piece;
            piece.is_value = true;
            if (!parse_value(trimmed, line_no, col + 2, piece.value)) return;
            if (!literal.empty()) out.push_back(TextPiece{std::move(literal), false, {}});
            literal.clear();
            out.push_back(std::move(piece));
            pos = close + 2;
        }
        if (!literal.empty()) out.push_back(TextPiece{std::move(literal), false, {}});
    }

    bool parse_value(std::string_view inner, int line_no, int col, ValueRef& out) {
        out.line = line_no;
        out.col = col;
        std::vector<std::string_view> parts;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= inner.size(); ++i) {
            if (i == inner.size() || inner[i] == '|') {
                parts.push_back(trim(inner.substr(start, i - start)));
                start = i + 1;
            }
        }
        std::string_view path = parts.front();
        if (path.empty()) {
            error(line_no, col, "empty value: write a name, e.g. {{order.order_id}}");
            return false;
        }
        if (path == ".") {
            out.path = {"."};
        } else {
            std::size_t s = 0;
            for (std::size_t i = 0; i <= path.size(); ++i) {
                if (i == path.size() || path[i] == '.') {
                    std::string_view seg = path.substr(s, i - s);
                    bool ok = !seg.empty() && (all_digits(seg) || (is_ident_start(seg[0]) &&
                                                                   std::all_of(seg.begin(), seg.end(), is_ident_char)));
                    if (!ok || (out.path.empty() && all_digits(seg))) {
                        error(line_no, col, "\"" + std::string(path) +
                                                "\" is not a value name (letters, digits and '_', parts separated by '.')");
                        return false;
                    }
                    out.path.emplace_back(seg);
                    s = i + 1;
                }
            }
            if (section_depth() == 0 && !roots_.empty() &&
                std::find(roots_.begin(), roots_.end(), out.path.front()) == roots_.end()) {
                error(line_no, col, "unknown value \"" + out.path.front() + "\" (known here: " + join(roots_) + ")");
                return false;
            }
        }
        for (std::size_t i = 1; i < parts.size(); ++i) {
            Filter f;
            std::string_view p = parts[i];
            auto colon = p.find(':');
            f.name = std::string(trim(p.substr(0, colon)));
            if (colon != std::string_view::npos) {
                f.has_arg = true;
                f.arg = std::string(trim(p.substr(colon + 1)));
            }
            if (!check_filter(f, line_no, col)) return false;
            out.filters.push_back(std::move(f));
        }
        return true;
    }

    bool check_filter(const Filter& f, int line_no, int col) {
        const auto& known = template_filters();
        if (std::find(known.begin(), known.end(), f.name) == known.end()) {
            error(line_no, col, "unknown filter \"" + f.name + "\" (known: " + join(known) + ")");
            return false;
        }
        if (f.name == "money" || f.name == "amount") {
            if (f.has_arg && !(f.arg.size() == 3 && std::all_of(f.arg.begin(), f.arg.end(), [](char c) {
                                   return c >= 'A' && c <= 'Z';
                               }))) {
                error(line_no, col, "filter " + f.name + ": the argument is an ISO 4217 code such as EUR, got \"" + f.arg + "\"");
                return false;
            }
        } else if (f.name == "short") {
            if (f.has_arg && !small_int(f.arg, 1, 64)) {
                error(line_no, col, "filter short: the argument is a length 1..64, got \"" + f.arg + "\"");
                return false;
            }
        } else if (f.name == "default") {
            if (!f.has_arg) {
                error(line_no, col, "filter default needs the text to print, e.g. default:-");
                return false;
            }
        } else if (f.has_arg) {
            error(line_no, col, "filter " + f.name + " takes no argument");
            return false;
        }
        return true;
    }

    // Option words before the data of @barcode and @qr: those that start
    // with one of `prefixes`; the first other word starts the data.
    static std::vector<std::string_view> leading_words(std::string_view& rest,
                                                       const std::vector<std::string_view>& prefixes) {
        std::vector<std::string_view> words;
        for (;;) {
            while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
            std::size_t n = rest.find_first_of(" \t");
            std::string_view w = rest.substr(0, n);
            bool option = !w.empty() && std::any_of(prefixes.begin(), prefixes.end(),
                                                    [&](std::string_view p) { return w.substr(0, p.size()) == p; });
            if (!option) break;
            words.push_back(w);
            rest.remove_prefix(w.size());
        }
        return words;
    }

    void block_directive(std::string_view line, const std::string& word, std::string_view rest, int line_no,
                         TemplateNode node) {
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
        const std::size_t errors_before = errors_.size();
        if (word == "columns") {
            node.kind = NodeKind::columns;
            columns(line, rest, line_no, node);
        } else if (word == "rule") {
            node.kind = NodeKind::rule;
            if (!rest.empty()) {
                if (sdk::utf8_length(rest) != 1)
                    error(line_no, col_of(line, rest), "@rule takes one character, got \"" + std::string(rest) + "\"");
                node.rule_character = std::string(rest);
            }
        } else if (word == "barcode") {
            node.kind = NodeKind::barcode;
            node.barcode.align = node.align;
            std::string_view sym = rest.substr(0, rest.find_first_of(" \t"));
            if (sym == "ean13") node.barcode.symbology = sdk::BarcodeSymbology::ean13;
            else if (sym == "code128") node.barcode.symbology = sdk::BarcodeSymbology::code128;
            else {
                error(line_no, rest.empty() ? node.col : col_of(line, rest),
                      "@barcode needs a symbology first: ean13 or code128");
                return;
            }
            rest.remove_prefix(sym.size());
            for (std::string_view w : leading_words(rest, {"notext", "height=", "module="})) {
                const int c = col_of(line, w);
                if (w == "notext") node.barcode.text_below = false;
                else if (w.substr(0, 7) == "height=" && small_int(w.substr(7), 1, 255)) node.barcode.height_dots = *small_int(w.substr(7), 1, 255);
                else if (w.substr(0, 7) == "module=" && small_int(w.substr(7), 2, 6)) node.barcode.module_dots = *small_int(w.substr(7), 2, 6);
                else {
                    error(line_no, c, "@barcode option \"" + std::string(w) + "\" is not one of notext, height=1..255, module=2..6");
                    return;
                }
            }
            data(line, rest, line_no, node, "@barcode");
        } else if (word == "qr") {
            node.kind = NodeKind::qr;
            node.qr.align = node.align;
            for (std::string_view w : leading_words(rest, {"level=", "size="})) {
                const int c = col_of(line, w);
                if (w == "level=L") node.qr.error_level = sdk::QrErrorLevel::low;
                else if (w == "level=M") node.qr.error_level = sdk::QrErrorLevel::medium;
                else if (w == "level=Q") node.qr.error_level = sdk::QrErrorLevel::quartile;
                else if (w == "level=H") node.qr.error_level = sdk::QrErrorLevel::high;
                else if (w.substr(0, 5) == "size=" && small_int(w.substr(5), 1, 16)) node.qr.module_dots = *small_int(w.substr(5), 1, 16);
                else {
                    error(line_no, c, "@qr option \"" + std::string(w) + "\" is not one of level=L|M|Q|H, size=1..16");
                    return;
                }
            }
            data(line, rest, line_no, node, "@qr");
        } else if (word == "logo") {
            node.kind = NodeKind::image;
            if (rest.empty() || rest.find("..") != std::string_view::npos || rest.front() == '/') {
                error(line_no, rest.empty() ? node.col : col_of(line, rest),
                      "@logo needs a .pbm file name in the templates folder (no '..', not absolute)");
                return;
            }
            auto img = read_pbm(base_dir_ + "/" + std::string(rest));
            if (!img) {
                error(line_no, col_of(line, rest), img.error().message);
                return;
            }
            node.image = std::move(*img);
            node.image.align = node.align;
        } else if (word == "feed") {
            node.kind = NodeKind::feed;
            if (!rest.empty()) {
                auto n = small_int(rest, 0, 255);
                if (!n) error(line_no, col_of(line, rest), "@feed takes a number of lines 0..255");
                else node.feed_lines = *n;
            }
        } else if (word == "cut") {
            node.kind = NodeKind::cut;
            if (rest == "full") node.cut = sdk::CutKind::full;
            else if (rest.empty() || rest == "partial") node.cut = sdk::CutKind::partial;
            else error(line_no, col_of(line, rest), "@cut takes full or partial");
        } else if (word == "drawer") {
            node.kind = NodeKind::drawer;
            if (rest == "pin=1") node.drawer_pin = 1;
            else if (!rest.empty() && rest != "pin=0") error(line_no, col_of(line, rest), "@drawer takes pin=0 or pin=1");
        }
        if (errors_.size() == errors_before) current().push_back(std::move(node));
    }

    void data(std::string_view line, std::string_view rest, int line_no, TemplateNode& node, const char* what) {
        if (rest.empty()) {
            error(line_no, node.col, std::string(what) + " needs data after its options, e.g. {{order.order_id}}");
            return;
        }
        parse_text(line, rest, line_no, node.text);
    }

    void columns(std::string_view line, std::string_view rest, int line_no, TemplateNode& node) {
        const std::size_t bar = rest.find('|');
        std::string_view specs = rest.substr(0, bar);
        std::size_t p = 0;
        while (p < specs.size()) {
            while (p < specs.size() && (specs[p] == ' ' || specs[p] == '\t')) ++p;
            if (p >= specs.size()) break;
            std::size_t e = specs.find_first_of(" \t", p);
            if (e == std::string_view::npos) e = specs.size();
            std::string_view tok = specs.substr(p, e - p);
            const int c = col_of(line, tok);
            if (tok.substr(0, 4) == "gap=") {
                auto g = small_int(tok.substr(4), 0, 10);
                if (!g) {
                    error(line_no, c, "gap=N takes 0..10");
                    return;
                }
                node.gap_chars = *g;
            } else {
                ColumnSpec spec;
                std::size_t d = 0;
                while (d < tok.size() && tok[d] >= '0' && tok[d] <= '9') ++d;
                auto n = small_int(tok.substr(0, d), 1, 200);
                std::string_view tail = tok.substr(d);
                if (!tail.empty() && tail.front() == '*') {
                    spec.share = true;
                    tail.remove_prefix(1);
                }
                if (tail == ">") spec.align = TextAlign::right;
                else if (tail == "^") spec.align = TextAlign::center;
                else if (tail == "<" || tail.empty()) spec.align = TextAlign::left;
                else n.reset();
                if (!n) {
                    error(line_no, c, "column \"" + std::string(tok) +
                                          "\" is not N (N characters), N* (N shares of the rest), each optionally "
                                          "followed by < > or ^ (left, right, centre)");
                    return;
                }
                spec.width = *n;
                node.columns.push_back(spec);
            }
            p = e;
        }
        if (node.columns.empty()) {
            error(line_no, node.col, "@columns needs column widths, e.g. @columns 1* 10> | {{name}} | {{total_minor|money}}");
            return;
        }
        if (bar == std::string_view::npos) {
            error(line_no, node.col, "@columns needs its cells after '|', one per column, separated by '|'");
            return;
        }
        std::string_view cells = rest.substr(bar + 1);
        std::vector<std::string_view> parts;
        std::size_t s = 0;
        bool in_value = false;  // a '|' inside {{...}} separates filters, not cells
        for (std::size_t i = 0; i <= cells.size(); ++i) {
            if (i < cells.size() && cells.substr(i, 2) == "{{") in_value = true;
            if (i < cells.size() && cells.substr(i, 2) == "}}") in_value = false;
            if (i == cells.size() || (!in_value && cells[i] == '|' && (i == 0 || cells[i - 1] != '\\'))) {
                parts.push_back(trim(cells.substr(s, i - s)));
                s = i + 1;
            }
        }
        if (parts.size() != node.columns.size()) {
            error(line_no, col_of(line, cells), "@columns has " + std::to_string(node.columns.size()) + " columns but " +
                                                    std::to_string(parts.size()) + " cells");
            return;
        }
        for (std::string_view part : parts) {
            TemplateText text;
            parse_text(line, part, line_no, text);
            for (auto& piece : text) {  // "\|" is a literal bar
                std::string& l = piece.literal;
                for (std::size_t i = l.find("\\|"); i != std::string::npos; i = l.find("\\|", i)) l.erase(i, 1);
            }
            node.cells.push_back(std::move(text));
        }
    }

    std::string file_;
    const std::vector<std::string>& roots_;
    std::string base_dir_;
    std::vector<TemplateError>& errors_;
    std::vector<TemplateNode> root_;
    std::vector<OpenBlock> open_;
};

}  // namespace

std::string TemplateError::to_string() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

const std::vector<std::string>& template_filters() {
    static const std::vector<std::string> filters = {"money", "amount", "qty",   "percent", "date", "time",  "datetime",
                                                     "upper", "lower",  "default", "neg",   "abs",  "short", "count"};
    return filters;
}

sdk::Result<ReceiptTemplate> ReceiptTemplate::parse(std::string_view text, const std::string& file,
                                                    const std::vector<std::string>& known_roots,
                                                    const std::string& base_dir, std::vector<TemplateError>* errors) {
    std::vector<TemplateError> found;
    Parser parser(file, known_roots, base_dir, found);
    auto nodes = parser.parse(text);
    if (!found.empty()) {
        std::string first = found.front().to_string();
        if (errors) errors->insert(errors->end(), found.begin(), found.end());
        return sdk::Error{"invalid_template", first};
    }
    ReceiptTemplate t;
    t.file_ = file;
    t.nodes_ = std::make_shared<const std::vector<TemplateNode>>(std::move(nodes));
    return t;
}

}  // namespace till::domain::printing
