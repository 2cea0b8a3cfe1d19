#include "domain/common/body_reader.hpp"

#include "domain/common/http_errors.hpp"

namespace till::domain {

namespace {

/// The length of the well-formed UTF-8 sequence at `s[i]` (i < n), 0 when
/// it is not one (RFC 3629: no overlong forms, surrogates or code points
/// above U+10FFFF).
std::size_t utf8_sequence_length(const unsigned char* s, std::size_t n, std::size_t i) noexcept {
    const unsigned c = s[i];
    if (c < 0x80) return 1;
    std::size_t len = 0;
    unsigned cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;  // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (len > n - i) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const unsigned cc = s[i + k];
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return len;
}

}  // namespace

std::optional<std::string> check_text(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        if (s[i] == 0) return std::string("contains a NUL character");
        const std::size_t len = utf8_sequence_length(s, n, i);
        if (len == 0) return std::string("is not valid UTF-8 text");
        i += len;
    }
    return std::nullopt;
}

BodyReader::BodyReader(const sdk::Value& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_map()) fail(path_, std::string("expected an object, got ") + sdk::Value::type_name(object_.type()));
}

std::string BodyReader::path_of(std::string_view key) const { return path_ + "." + std::string(key); }

void BodyReader::fail(std::string json_path, std::string message) {
    if (!error_) error_ = invalid_field(json_path, message);
}

void BodyReader::allow(std::string_view key) { seen_.emplace(key); }

const sdk::Value* BodyReader::get(std::string_view key, Need need) {
    seen_.emplace(key);
    const sdk::Value* v = object_.find(key);
    if ((!v || v->is_null()) && need == Need::required) {
        fail(path_of(key), "is required");
        return nullptr;
    }
    if (v && v->is_null()) return nullptr;
    return v;
}

namespace {
std::string got(const sdk::Value& v) { return std::string("got ") + sdk::Value::type_name(v.type()); }
}  // namespace

std::optional<std::string> BodyReader::string(std::string_view key, Need need, std::size_t max_length) {
    const sdk::Value* v = get(key, need);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        fail(path_of(key), "expected a string, " + got(*v));
        return std::nullopt;
    }
    if (v->as_string().size() > max_length) {
        fail(path_of(key), "is longer than " + std::to_string(max_length) + " characters");
        return std::nullopt;
    }
    if (auto problem = check_text(v->as_string())) {
        fail(path_of(key), *problem);
        return std::nullopt;
    }
    if (need == Need::required && v->as_string().empty()) {
        fail(path_of(key), "must not be empty");
        return std::nullopt;
    }
    return v->as_string();
}

std::optional<std::int64_t> BodyReader::integer(std::string_view key, Need need, std::int64_t min, std::int64_t max) {
    const sdk::Value* v = get(key, need);
    if (!v) return std::nullopt;
    if (!v->is_int()) {
        fail(path_of(key), "expected an integer, " + got(*v));
        return std::nullopt;
    }
    std::int64_t n = v->as_int();
    if (n < min) {
        fail(path_of(key), "must be at least " + std::to_string(min) + ", got " + std::to_string(n));
        return std::nullopt;
    }
    if (n > max) {
        fail(path_of(key), "must be at most " + std::to_string(max) + ", got " + std::to_string(n));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> BodyReader::boolean(std::string_view key, Need need) {
    const sdk::Value* v = get(key, need);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
        fail(path_of(key), "expected true or false, " + got(*v));
        return std::nullopt;
    }
    return v->as_bool();
}

const sdk::Value* BodyReader::object(std::string_view key, Need need) {
    const sdk::Value* v = get(key, need);
    if (!v) return nullptr;
    if (!v->is_map()) {
        fail(path_of(key), "expected an object, " + got(*v));
        return nullptr;
    }
    return v;
}

const sdk::Value* BodyReader::list(std::string_view key, Need need, std::size_t max_items) {
    const sdk::Value* v = get(key, need);
    if (!v) return nullptr;
    if (!v->is_list()) {
        fail(path_of(key), "expected a list, " + got(*v));
        return nullptr;
    }
    if (v->size() > max_items) {
        fail(path_of(key), "has more than " + std::to_string(max_items) + " items");
        return nullptr;
    }
    const auto& items = v->as_list();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_string()) continue;
        if (auto problem = check_text(items[i].as_string())) {
            fail(path_of(key) + "[" + std::to_string(i) + "]", *problem);
            return nullptr;
        }
    }
    return v;
}

sdk::Status BodyReader::finish() {
    if (error_) return *error_;
    for (const auto& [k, _] : object_.as_map()) {
        if (seen_.count(k)) continue;
        // A key that is not text cannot be shown in a path (nor stored).
        if (auto problem = check_text(k)) return invalid_field(path_, "has a field name that " + *problem);
        return invalid_field(path_of(k), "unknown field");
    }
    return {};
}

sdk::Error invalid_field(const std::string& json_path, const std::string& message) {
    return sdk::Error{std::string(error_code::invalid_argument), json_path + ": " + message};
}

}  // namespace till::domain
