#include "storage/sql_text.hpp"

#include <cctype>
#include <functional>

namespace till::storage::detail {
namespace {

bool is_ident_char(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_' || u >= 0x80;
}

// Length of a dollar-quote tag ("$$" or "$tag$") starting at `i`, 0 if none.
std::size_t dollar_tag_length(std::string_view sql, std::size_t i) {
    if (sql[i] != '$') return 0;
    if (i > 0 && is_ident_char(sql[i - 1])) return 0;  // part of an identifier
    std::size_t j = i + 1;
    while (j < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
    if (j < sql.size() && sql[j] == '$') return j - i + 1;
    return 0;
}

// Calls `on_code(i)` for every character that is plain SQL code (not inside
// a literal, quoted identifier or comment).
void scan_code(std::string_view sql, const std::function<void(std::size_t)>& on_code) {
    std::size_t i = 0;
    const std::size_t n = sql.size();
    while (i < n) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            // '' and "" inside are escapes: they just close and reopen.
            std::size_t end = sql.find(c, i + 1);
            i = end == std::string_view::npos ? n : end + 1;
        } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            std::size_t end = sql.find('\n', i + 2);
            i = end == std::string_view::npos ? n : end + 1;
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            std::size_t end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
        } else if (std::size_t tag = dollar_tag_length(sql, i); tag > 0) {
            std::size_t end = sql.find(sql.substr(i, tag), i + tag);
            i = end == std::string_view::npos ? n : end + tag;
        } else {
            on_code(i);
            ++i;
        }
    }
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

// True when `s` holds nothing but whitespace and comments.
bool only_comments(std::string_view s) {
    bool code = false;
    scan_code(s, [&](std::size_t i) {
        if (!std::isspace(static_cast<unsigned char>(s[i]))) code = true;
    });
    return !code;
}

}  // namespace

std::size_t count_placeholders(std::string_view sql) {
    std::size_t count = 0;
    scan_code(sql, [&](std::size_t i) {
        if (sql[i] == '?') ++count;
    });
    return count;
}

std::string number_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    std::size_t copied = 0;
    int next = 0;
    scan_code(sql, [&](std::size_t i) {
        if (sql[i] != '?') return;
        out.append(sql.substr(copied, i - copied));
        out += '$';
        out += std::to_string(++next);
        copied = i + 1;
    });
    out.append(sql.substr(copied));
    return out;
}

std::vector<std::string> split_statements(std::string_view script) {
    std::vector<std::string> out;
    std::size_t start = 0;
    auto take = [&](std::size_t end) {
        std::string_view piece = script.substr(start, end - start);
        if (!only_comments(piece)) out.push_back(trim(piece));
    };
    scan_code(script, [&](std::size_t i) {
        if (script[i] != ';') return;
        take(i);
        start = i + 1;
    });
    take(script.size());
    return out;
}

}  // namespace till::storage::detail
