// Strict reading of a JSON object from a request body (or a nested object of
// one): typed getters that record the first problem with its JSON path, and
// finish() that also refuses unknown keys. Every string it hands out (string()
// and the string items of list()) is checked with check_text(): text that is
// not UTF-8 or holds NUL never reaches a module. Route handlers use it so that every
// bad input is a 4xx problem+json naming the field, e.g.
//   "$.lines[2].qty_milli: must be at least 1".
//
//   BodyReader r(body);                       // body: a map Value, path "$"
//   auto sku = r.string("sku", Need::required);
//   auto qty = r.integer("qty_milli", Need::optional, 1, 1'000'000'000);
//   if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain {

enum class Need { optional, required };

class BodyReader {
public:
    /// `object` must outlive the reader. `path` is its JSON path ("$" for the body).
    explicit BodyReader(const sdk::Value& object, std::string path = "$");

    /// A string of at most `max_length` bytes that passes check_text().
    std::optional<std::string> string(std::string_view key, Need need, std::size_t max_length = 1000);
    std::optional<std::int64_t> integer(std::string_view key, Need need, std::int64_t min, std::int64_t max);
    std::optional<bool> boolean(std::string_view key, Need need);
    /// A nested object or list; nullptr when absent (or wrong type: recorded).
    /// A nested object's strings are checked by the BodyReader that reads it;
    /// list() checks the list's own string items ("$.tags[2]: ...").
    const sdk::Value* object(std::string_view key, Need need);
    const sdk::Value* list(std::string_view key, Need need, std::size_t max_items = 10000);
    /// Marks a key as known without reading it (e.g. a field read elsewhere).
    void allow(std::string_view key);

    /// The JSON path of a key of this object: path + "." + key.
    std::string path_of(std::string_view key) const;
    /// Records a problem found by the caller (first one wins).
    void fail(std::string json_path, std::string message);
    bool ok() const noexcept { return !error_.has_value(); }
    /// The first problem, else the first unknown key ("unknown field"), else
    /// success. Errors have code "invalid_argument" and a message
    /// "<json path>: <what is wrong>".
    sdk::Status finish();

private:
    const sdk::Value* get(std::string_view key, Need need);
    const sdk::Value& object_;
    std::string path_;
    std::set<std::string, std::less<>> seen_;
    std::optional<sdk::Error> error_;
};

/// What is wrong with `text` as text a request may carry into the domain, or
/// nullopt when nothing is: "is not valid UTF-8 text" (a stray byte, a
/// truncated sequence, an overlong form, a surrogate, a code point above
/// U+10FFFF) or "contains a NUL character" — whichever comes first. PostgreSQL
/// refuses both inside a transaction (a 500), and SQLite would store bytes no
/// JSON client can read back. The one check for every module: BodyReader uses
/// it, and so do the modules where they read text themselves (query
/// parameters, CSV files).
std::optional<std::string> check_text(std::string_view text);

/// An "invalid_argument" error for `json_path` ("$.lines[0].sku: unknown SKU").
sdk::Error invalid_field(const std::string& json_path, const std::string& message);

}  // namespace till::domain
