#include "till/sdk/value.hpp"

#include <cstdio>
#include <limits>

namespace till::sdk {
namespace {

const std::string kEmptyString;
const Value::List kEmptyList;
const Value::Map kEmptyMap;
const Value kNull;

void append_json_string(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

void append_json(std::string& out, const Value& v) {
    switch (v.type()) {
        case Value::Type::null: out += "null"; break;
        case Value::Type::boolean: out += v.as_bool() ? "true" : "false"; break;
        case Value::Type::integer: out += std::to_string(v.as_int()); break;
        case Value::Type::string: append_json_string(out, v.as_string()); break;
        case Value::Type::list: {
            out += '[';
            bool first = true;
            for (const auto& item : v.as_list()) {
                if (!first) out += ',';
                first = false;
                append_json(out, item);
            }
            out += ']';
            break;
        }
        case Value::Type::map: {
            out += '{';
            bool first = true;
            for (const auto& [k, item] : v.as_map()) {
                if (!first) out += ',';
                first = false;
                append_json_string(out, k);
                out += ':';
                append_json(out, item);
            }
            out += '}';
            break;
        }
    }
}

// Recursive-descent JSON parser with line/column tracking.
class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    Result<Value> parse_document() {
        Value v;
        if (!parse_value(v, 0)) return fail_result();
        skip_ws();
        if (pos_ != s_.size()) {
            set_error("unexpected text after the JSON value");
            return fail_result();
        }
        return v;
    }

private:
    static constexpr int kMaxDepth = 128;

    Result<Value> fail_result() const { return Error{"invalid_json", error_}; }

    void set_error(const std::string& what) {
        if (!error_.empty()) return;
        std::size_t line = 1, col = 1;
        for (std::size_t i = 0; i < pos_ && i < s_.size(); ++i) {
            if (s_[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        error_ = "line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + what;
    }

    void skip_ws() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }

    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) == word) {
            pos_ += word.size();
            return true;
        }
        return false;
    }

    bool parse_value(Value& out, int depth) {
        if (depth > kMaxDepth) {
            set_error("nesting deeper than 128 levels");
            return false;
        }
        skip_ws();
        if (pos_ >= s_.size()) {
            set_error("unexpected end of input");
            return false;
        }
        char c = s_[pos_];
        if (c == '{') return parse_object(out, depth);
        if (c == '[') return parse_array(out, depth);
        if (c == '"') {
            std::string str;
            if (!parse_string(str)) return false;
            out = Value(std::move(str));
            return true;
        }
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
        if (literal("true")) {
            out = Value(true);
            return true;
        }
        if (literal("false")) {
            out = Value(false);
            return true;
        }
        if (literal("null")) {
            out = Value();
            return true;
        }
        set_error(std::string("unexpected character '") + c + "'");
        return false;
    }

    bool parse_number(Value& out) {
        std::size_t start = pos_;
        bool negative = false;
        if (s_[pos_] == '-') {
            negative = true;
            ++pos_;
        }
        if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
            set_error("invalid number");
            return false;
        }
        if (s_[pos_] == '0' && pos_ + 1 < s_.size() && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9') {
            set_error("invalid number (leading zero)");
            return false;
        }
        // Accumulate negatively so INT64_MIN parses.
        std::int64_t acc = 0;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
            int digit = s_[pos_] - '0';
            if (acc < (std::numeric_limits<std::int64_t>::min() + digit) / 10) {
                pos_ = start;
                set_error("integer out of the 64-bit range");
                return false;
            }
            acc = acc * 10 - digit;
            ++pos_;
        }
        if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) {
            pos_ = start;
            set_error("numbers must be integers (amounts are in minor units, quantities in thousandths)");
            return false;
        }
        if (!negative) {
            if (acc == std::numeric_limits<std::int64_t>::min()) {
                pos_ = start;
                set_error("integer out of the 64-bit range");
                return false;
            }
            acc = -acc;
        }
        out = Value(static_cast<long long>(acc));
        return true;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool parse_hex4(unsigned& out) {
        if (pos_ + 4 > s_.size()) {
            set_error("truncated \\u escape");
            return false;
        }
        out = 0;
        for (int i = 0; i < 4; ++i) {
            char h = s_[pos_++];
            out <<= 4;
            if (h >= '0' && h <= '9') out |= unsigned(h - '0');
            else if (h >= 'a' && h <= 'f') out |= unsigned(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') out |= unsigned(h - 'A' + 10);
            else {
                set_error("invalid \\u escape");
                return false;
            }
        }
        return true;
    }

    bool parse_string(std::string& out) {
        ++pos_;  // opening quote
        while (true) {
            if (pos_ >= s_.size()) {
                set_error("unterminated string");
                return false;
            }
            char c = s_[pos_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) {
                --pos_;
                set_error("control character in string");
                return false;
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) {
                set_error("unterminated escape");
                return false;
            }
            char e = s_[pos_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = 0;
                    if (!parse_hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        unsigned low = 0;
                        if (!literal("\\u") || !parse_hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                            set_error("invalid surrogate pair");
                            return false;
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        set_error("invalid surrogate pair");
                        return false;
                    }
                    append_utf8(out, cp);
                    break;
                }
                default:
                    --pos_;
                    set_error(std::string("invalid escape '\\") + e + "'");
                    return false;
            }
        }
    }

    bool parse_array(Value& out, int depth) {
        ++pos_;
        Value::List items;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            out = Value(std::move(items));
            return true;
        }
        while (true) {
            Value item;
            if (!parse_value(item, depth + 1)) return false;
            items.push_back(std::move(item));
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                out = Value(std::move(items));
                return true;
            }
            set_error("expected ',' or ']'");
            return false;
        }
    }

    bool parse_object(Value& out, int depth) {
        ++pos_;
        Value::Map members;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            out = Value(std::move(members));
            return true;
        }
        while (true) {
            skip_ws();
            if (pos_ >= s_.size() || s_[pos_] != '"') {
                set_error("expected a member name in double quotes");
                return false;
            }
            std::size_t key_pos = pos_;
            std::string key;
            if (!parse_string(key)) return false;
            if (members.count(key)) {
                pos_ = key_pos;
                set_error("duplicate member \"" + key + "\"");
                return false;
            }
            skip_ws();
            if (pos_ >= s_.size() || s_[pos_] != ':') {
                set_error("expected ':'");
                return false;
            }
            ++pos_;
            Value item;
            if (!parse_value(item, depth + 1)) return false;
            members.emplace(std::move(key), std::move(item));
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == '}') {
                ++pos_;
                out = Value(std::move(members));
                return true;
            }
            set_error("expected ',' or '}'");
            return false;
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::string error_;
};

}  // namespace

const std::string& Value::as_string() const noexcept { return is_string() ? str_ : kEmptyString; }
const Value::List& Value::as_list() const noexcept { return is_list() ? list_ : kEmptyList; }
const Value::Map& Value::as_map() const noexcept { return is_map() ? map_ : kEmptyMap; }

Value::List& Value::mutable_list() {
    if (!is_list()) *this = Value(List{});
    return list_;
}

Value::Map& Value::mutable_map() {
    if (!is_map()) *this = Value(Map{});
    return map_;
}

const Value* Value::find(std::string_view key) const noexcept {
    if (!is_map()) return nullptr;
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
}

const Value& Value::operator[](std::string_view key) const noexcept {
    const Value* v = find(key);
    return v ? *v : kNull;
}

Value& Value::set(std::string key, Value v) {
    auto& m = mutable_map();
    m.insert_or_assign(std::move(key), std::move(v));
    return *this;
}

Value& Value::push_back(Value v) {
    mutable_list().push_back(std::move(v));
    return *this;
}

std::size_t Value::size() const noexcept {
    if (is_list()) return list_.size();
    if (is_map()) return map_.size();
    if (is_string()) return str_.size();
    return 0;
}

bool Value::operator==(const Value& o) const noexcept {
    if (type_ != o.type_) return false;
    switch (type_) {
        case Type::null: return true;
        case Type::boolean:
        case Type::integer: return int_ == o.int_;
        case Type::string: return str_ == o.str_;
        case Type::list: return list_ == o.list_;
        case Type::map: return map_ == o.map_;
    }
    return false;
}

std::string Value::to_json() const {
    std::string out;
    append_json(out, *this);
    return out;
}

Result<Value> Value::parse_json(std::string_view text) { return Parser(text).parse_document(); }

const char* Value::type_name(Type t) noexcept {
    switch (t) {
        case Type::null: return "null";
        case Type::boolean: return "boolean";
        case Type::integer: return "integer";
        case Type::string: return "string";
        case Type::list: return "list";
        case Type::map: return "map";
    }
    return "unknown";
}

}  // namespace till::sdk
