// Till SDK — Value: a JSON-like tree used for plugin configuration, event
// payloads, HTTP bodies and SQL parameters.
//
// Deliberately has no floating-point type: money is int64 minor units, tax is
// basis points and quantities are int64 thousandths. JSON text with a fraction
// or exponent is refused by Value::parse_json with a message saying so.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/status.hpp"

namespace till::sdk {

class Value {
public:
    enum class Type { null, boolean, integer, string, list, map };
    using List = std::vector<Value>;
    using Map = std::map<std::string, Value, std::less<>>;

    Value() noexcept : type_(Type::null) {}
    Value(std::nullptr_t) noexcept : type_(Type::null) {}
    Value(bool b) noexcept : type_(Type::boolean), int_(b ? 1 : 0) {}
    Value(int i) noexcept : type_(Type::integer), int_(i) {}
    Value(long i) noexcept : type_(Type::integer), int_(i) {}
    Value(long long i) noexcept : type_(Type::integer), int_(i) {}
    Value(unsigned i) noexcept : type_(Type::integer), int_(i) {}
    Value(const char* s) : type_(Type::string), str_(s) {}
    Value(std::string s) noexcept : type_(Type::string), str_(std::move(s)) {}
    Value(std::string_view s) : type_(Type::string), str_(s) {}
    Value(List l) : type_(Type::list), list_(std::move(l)) {}
    Value(Map m) : type_(Type::map), map_(std::move(m)) {}

    static Value list() { return Value(List{}); }
    static Value map() { return Value(Map{}); }

    Type type() const noexcept { return type_; }
    bool is_null() const noexcept { return type_ == Type::null; }
    bool is_bool() const noexcept { return type_ == Type::boolean; }
    bool is_int() const noexcept { return type_ == Type::integer; }
    bool is_string() const noexcept { return type_ == Type::string; }
    bool is_list() const noexcept { return type_ == Type::list; }
    bool is_map() const noexcept { return type_ == Type::map; }

    /// Accessors return the value, or `fallback` when the type differs.
    bool as_bool(bool fallback = false) const noexcept { return is_bool() ? int_ != 0 : fallback; }
    std::int64_t as_int(std::int64_t fallback = 0) const noexcept { return is_int() ? int_ : fallback; }
    /// Empty string when not a string.
    const std::string& as_string() const noexcept;
    std::string as_string(std::string fallback) const { return is_string() ? str_ : fallback; }
    /// Empty list / map when the type differs.
    const List& as_list() const noexcept;
    const Map& as_map() const noexcept;

    /// Mutable access; converts a null Value into an empty list / map first.
    /// Calling them on a Value of another type replaces its content.
    List& mutable_list();
    Map& mutable_map();

    /// Member lookup on a map. Returns nullptr when absent or not a map.
    const Value* find(std::string_view key) const noexcept;
    /// Member lookup returning a shared null Value when absent.
    const Value& operator[](std::string_view key) const noexcept;
    /// Inserts (or replaces) a member; turns a null Value into a map.
    Value& set(std::string key, Value v);
    /// Appends to a list; turns a null Value into a list.
    Value& push_back(Value v);
    std::size_t size() const noexcept;

    bool operator==(const Value& other) const noexcept;
    bool operator!=(const Value& other) const noexcept { return !(*this == other); }

    /// Compact JSON text (maps with sorted keys).
    std::string to_json() const;
    /// Parses JSON text. Errors carry "line L, column C: ..." in the message
    /// and code "invalid_json". Numbers must be integers in int64 range.
    static Result<Value> parse_json(std::string_view text);

    /// Name of a type for messages: "null", "boolean", "integer", ...
    static const char* type_name(Type t) noexcept;

private:
    Type type_;
    std::int64_t int_ = 0;
    std::string str_;
    List list_;
    Map map_;
};

}  // namespace till::sdk
