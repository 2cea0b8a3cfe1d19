// Rendering a parsed receipt template (receipt_template.hpp) with data.
#include <cctype>
#include <charconv>

#include "domain/printing/receipt_template.hpp"
#include "domain/printing/template_ast.hpp"

namespace till::domain::printing {
namespace {

using sdk::Value;

bool truthy(const Value& v) {
    switch (v.type()) {
        case Value::Type::null: return false;
        case Value::Type::boolean: return v.as_bool();
        case Value::Type::integer: return v.as_int() != 0;
        case Value::Type::string: return !v.as_string().empty();
        case Value::Type::list:
        case Value::Type::map: return v.size() > 0;
    }
    return false;
}

std::string path_text(const ValueRef& ref) {
    std::string out;
    for (const auto& p : ref.path) out += (out.empty() ? "" : ".") + p;
    return out;
}

class Renderer {
public:
    Renderer(const RenderOptions& options, const std::string& file, const Value& data, sdk::Receipt& out)
        : options_(options), file_(file), out_(out) {
        stack_.push_back(&data);
    }

    sdk::Status nodes(const std::vector<TemplateNode>& list) {
        for (const auto& node : list)
            if (auto s = one(node); !s.ok()) return s;
        return {};
    }

private:
    sdk::Error fail(const ValueRef& ref, const std::string& message) const {
        return sdk::Error{"render_failed", file_ + ":" + std::to_string(ref.line) + ":" + std::to_string(ref.col) +
                                               ": {{" + path_text(ref) + "}}: " + message};
    }

    const Value& lookup(const ValueRef& ref) const {
        static const Value null_value;
        if (ref.path.size() == 1 && ref.path[0] == ".") return *stack_.back();
        for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
            const Value* frame = *it;
            const Value* v = frame->find(ref.path[0]);
            if (!v) continue;
            for (std::size_t i = 1; i < ref.path.size() && v; ++i) {
                const std::string& seg = ref.path[i];
                if (v->is_list() && !seg.empty() && std::isdigit(static_cast<unsigned char>(seg[0]))) {
                    // Not std::stoul: an index too large for a number is missing data, not a throw.
                    std::size_t index = 0;
                    auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), index);
                    const bool valid = ec == std::errc() && end == seg.data() + seg.size();
                    v = valid && index < v->as_list().size() ? &v->as_list()[index] : nullptr;
                } else {
                    v = v->find(seg);
                }
            }
            return v ? *v : null_value;
        }
        return null_value;
    }

    std::string currency(const Filter& f) const {
        if (f.has_arg) return f.arg;
        for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
            if (const Value* c = (*it)->find("currency"); c && c->is_string() && !c->as_string().empty())
                return c->as_string();
        return options_.currency;
    }

    sdk::Result<std::string> value_text(const ValueRef& ref) const {
        Value v = lookup(ref);
        for (const auto& f : ref.filters) {
            if (f.name == "default") {
                if (!truthy(v) && !(v.is_int())) v = Value(f.arg);
                continue;
            }
            if (f.name == "count") {
                if (v.is_list() || v.is_map()) v = Value(static_cast<std::int64_t>(v.size()));
                else if (v.is_null()) v = Value(0);
                else return fail(ref, "count needs a list, got " + std::string(Value::type_name(v.type())));
                continue;
            }
            if (v.is_null()) continue;  // missing data prints nothing
            const bool numeric = f.name == "money" || f.name == "amount" || f.name == "qty" || f.name == "percent" ||
                                 f.name == "date" || f.name == "time" || f.name == "datetime" || f.name == "neg" ||
                                 f.name == "abs";
            if (numeric && !v.is_int())
                return fail(ref, "filter " + f.name + " needs an integer, got " + Value::type_name(v.type()));
            const LocaleFormat& loc = options_.locale;
            const int off = options_.utc_offset_minutes;
            if (f.name == "money") v = Value(format_money(v.as_int(), currency(f), loc));
            else if (f.name == "amount") v = Value(format_amount(v.as_int(), currency(f), loc));
            else if (f.name == "qty") v = Value(format_qty(v.as_int(), loc));
            else if (f.name == "percent") v = Value(format_percent_bp(v.as_int(), loc));
            else if (f.name == "date") v = Value(format_date(v.as_int(), off, loc));
            else if (f.name == "time") v = Value(format_time(v.as_int(), off, loc));
            else if (f.name == "datetime") v = Value(format_datetime(v.as_int(), off, loc));
            else if (f.name == "neg") v = Value(-v.as_int());
            else if (f.name == "abs") v = Value(v.as_int() < 0 ? -v.as_int() : v.as_int());
            else if (f.name == "upper" || f.name == "lower" || f.name == "short") {
                if (!v.is_string()) {
                    if (!v.is_int()) return fail(ref, "filter " + f.name + " needs text, got " + Value::type_name(v.type()));
                    v = Value(std::to_string(v.as_int()));
                }
                std::string s = v.as_string();
                if (f.name == "short") {
                    // The tail: UUIDv7 ids share their leading (time) digits, the end is random.
                    const std::size_t keep = f.has_arg ? std::stoul(f.arg) : 8;
                    const std::size_t len = sdk::utf8_length(s);
                    if (len > keep) {
                        std::size_t skip = len - keep, i = 0;
                        while (skip > 0 && i < s.size()) {
                            ++i;
                            while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
                            --skip;
                        }
                        s = s.substr(i);
                    }
                } else {
                    for (char& c : s) {
                        if (f.name == "upper" && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
                        if (f.name == "lower" && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                    }
                }
                v = Value(std::move(s));
            }
        }
        switch (v.type()) {
            case Value::Type::null: return std::string();
            case Value::Type::boolean: return std::string(v.as_bool() ? "yes" : "no");
            case Value::Type::integer: return std::to_string(v.as_int());
            case Value::Type::string: return v.as_string();
            case Value::Type::list:
            case Value::Type::map: break;
        }
        return fail(ref, std::string("is a ") + Value::type_name(v.type()) +
                             ", not text: use a section {{#...}} or a field of it");
    }

    sdk::Result<std::string> text(const TemplateText& pieces) const {
        std::string out;
        for (const auto& p : pieces) {
            if (!p.is_value) {
                out += p.literal;
                continue;
            }
            auto v = value_text(p.value);
            if (!v) return v.error();
            out += *v;
        }
        return out;
    }

    sdk::Status one(const TemplateNode& node) {
        switch (node.kind) {
            case NodeKind::text: {
                auto t = text(node.text);
                if (!t) return t.error();
                out_.blocks.emplace_back(sdk::TextBlock{std::move(*t), node.align, node.style});
                return {};
            }
            case NodeKind::columns: {
                sdk::ColumnsBlock block;
                block.gap_chars = node.gap_chars;
                block.style = node.style;
                for (std::size_t i = 0; i < node.columns.size(); ++i) {
                    auto t = text(node.cells[i]);
                    if (!t) return t.error();
                    const ColumnSpec& spec = node.columns[i];
                    block.columns.push_back(spec.share ? sdk::Column::fill(std::move(*t), spec.align, spec.width)
                                                       : sdk::Column::chars(std::move(*t), spec.width, spec.align));
                }
                out_.blocks.emplace_back(std::move(block));
                return {};
            }
            case NodeKind::rule: out_.blocks.emplace_back(sdk::RuleBlock{node.rule_character}); return {};
            case NodeKind::barcode: {
                auto t = text(node.text);
                if (!t) return t.error();
                sdk::BarcodeBlock b = node.barcode;
                b.data = std::move(*t);
                if (b.data.empty()) return {};  // nothing to encode: no barcode
                out_.blocks.emplace_back(std::move(b));
                return {};
            }
            case NodeKind::qr: {
                auto t = text(node.text);
                if (!t) return t.error();
                sdk::QrBlock q = node.qr;
                q.data = std::move(*t);
                if (q.data.empty()) return {};
                out_.blocks.emplace_back(std::move(q));
                return {};
            }
            case NodeKind::image: out_.blocks.emplace_back(node.image); return {};
            case NodeKind::feed: out_.blocks.emplace_back(sdk::FeedBlock{node.feed_lines}); return {};
            case NodeKind::cut: out_.blocks.emplace_back(sdk::CutBlock{node.cut}); return {};
            case NodeKind::drawer: {
                sdk::DrawerPulseBlock d;
                d.pin = node.drawer_pin;
                out_.blocks.emplace_back(d);
                return {};
            }
            case NodeKind::when:
            case NodeKind::unless: {
                const bool on = truthy(lookup(node.subject));
                if (on == (node.kind == NodeKind::when)) return nodes(node.children);
                return {};
            }
            case NodeKind::section: {
                const Value& v = lookup(node.subject);
                if (!truthy(v)) return {};
                if (v.is_list()) {
                    for (const auto& item : v.as_list()) {
                        stack_.push_back(&item);
                        auto s = nodes(node.children);
                        stack_.pop_back();
                        if (!s.ok()) return s;
                    }
                    return {};
                }
                stack_.push_back(&v);
                auto s = nodes(node.children);
                stack_.pop_back();
                return s;
            }
        }
        return {};
    }

    const RenderOptions& options_;
    const std::string& file_;
    sdk::Receipt& out_;
    std::vector<const Value*> stack_;
};

}  // namespace

sdk::Result<sdk::Receipt> ReceiptTemplate::render(const sdk::Value& data, const RenderOptions& options) const {
    sdk::Receipt receipt;
    receipt.language = options.locale.tag;
    if (!nodes_) return receipt;
    Renderer r(options, file_, data, receipt);
    if (auto s = r.nodes(*nodes_); !s.ok()) return s.error();
    return receipt;
}

}  // namespace till::domain::printing
