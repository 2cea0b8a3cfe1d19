#include "storage/storage_url.hpp"

#include <cctype>
#include <filesystem>
#include <string_view>
#include <vector>

namespace till::storage::detail {
namespace {

sdk::Error invalid(std::string message) { return sdk::Error{"invalid_argument", std::move(message)}; }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return false;
        int hi = hex_digit(in[i + 1]);
        int lo = hex_digit(in[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

// libpq conninfo value: single-quoted, with \ and ' escaped.
std::string conninfo_value(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    out += '\'';
    return out;
}

sdk::Result<ConnectionTarget> parse_sqlite(const StorageSettings& settings, std::string_view path) {
    if (path == ":memory:" || (path.empty() && !settings.url.empty()))
        return invalid(path.empty() ? "storage url \"sqlite:\" has no path"
                                    : "storage url \"sqlite::memory:\" is refused: a node's data must be durable");
    if (path.rfind("file:", 0) == 0) return invalid("storage url: SQLite URI filenames (\"file:\") are not supported");
    std::filesystem::path p = path.empty() ? std::filesystem::path("till.db") : std::filesystem::path(path);
    if (p.is_relative()) {
        if (settings.data_dir.empty())
            return invalid("storage: a relative SQLite path needs a data_dir (got \"" + p.string() + "\")");
        p = std::filesystem::path(settings.data_dir) / p;
    }
    p = p.lexically_normal();
    ConnectionTarget t;
    t.dialect = sdk::Dialect::sqlite;
    t.connector = "SQLite";
    t.connection_string = p.string();
    t.description = "sqlite:" + p.string();
    return t;
}

sdk::Result<ConnectionTarget> parse_postgresql(std::string_view rest) {
    // rest = [user[:password]@][host][:port][/dbname][?query]
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view path;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        path = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
    }
    std::string_view userinfo;
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
    }
    std::string_view host = rest, port;
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        if (close == std::string_view::npos) return invalid("storage url: unterminated '[' in the PostgreSQL host");
        port = host.substr(close + 1);
        host = host.substr(1, close - 1);
        if (!port.empty()) {
            if (port.front() != ':') return invalid("storage url: unexpected text after the PostgreSQL host");
            port.remove_prefix(1);
        }
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    std::string_view user_raw = userinfo, password_raw;
    bool has_password = false;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
        user_raw = userinfo.substr(0, colon);
        password_raw = userinfo.substr(colon + 1);
        has_password = true;
    }

    std::string user, password, host_s, db;
    if (!percent_decode(user_raw, user)) return invalid("storage url: bad percent-encoding in the PostgreSQL user");
    if (!percent_decode(password_raw, password))
        return invalid("storage url: bad percent-encoding in the PostgreSQL password");
    if (!percent_decode(host, host_s)) return invalid("storage url: bad percent-encoding in the PostgreSQL host");
    if (!percent_decode(path, db)) return invalid("storage url: bad percent-encoding in the PostgreSQL database name");
    for (char c : port)
        if (c < '0' || c > '9') return invalid("storage url: PostgreSQL port \"" + std::string(port) + "\" is not a number");
    if (!port.empty() && (port.size() > 5 || std::stoi(std::string(port)) > 65535 || std::stoi(std::string(port)) == 0))
        return invalid("storage url: PostgreSQL port " + std::string(port) + " is out of range");

    ConnectionTarget t;
    t.dialect = sdk::Dialect::postgresql;
    t.connector = "PostgreSQL";
    t.password = has_password ? password : "";
    std::string cs;
    auto add = [&](const std::string& key, const std::string& value) {
        if (value.empty()) return;
        if (!cs.empty()) cs += ' ';
        cs += key + "=" + conninfo_value(value);
    };
    add("host", host_s);
    add("port", std::string(port));
    add("user", user);
    if (has_password) add("password", password);
    add("dbname", db);

    std::string shown_query;
    while (!query.empty()) {
        std::string_view pair = query.substr(0, query.find('&'));
        query = pair.size() < query.size() ? query.substr(pair.size() + 1) : std::string_view{};
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        if (eq == std::string_view::npos) return invalid("storage url: query parameter \"" + std::string(pair) + "\" has no '='");
        std::string key, value;
        if (!percent_decode(pair.substr(0, eq), key) || !percent_decode(pair.substr(eq + 1), value))
            return invalid("storage url: bad percent-encoding in the query parameters");
        if (key == "password") return invalid("storage url: put the password in the user part, not in the query");
        for (char c : key)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
                return invalid("storage url: bad query parameter name \"" + key + "\"");
        add(key, value);
        shown_query += (shown_query.empty() ? "?" : "&") + std::string(pair);
    }

    // A server that accepts but never answers must not hang the node's
    // start (or its SIGTERM): bound the connect unless the URL says otherwise.
    if (shown_query.find("connect_timeout=") == std::string::npos) add("connect_timeout", "10");

    std::string shown = "postgresql://";
    if (!user.empty()) shown += std::string(user_raw) + "@";
    shown += host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
    if (!port.empty()) shown += ":" + std::string(port);
    shown += "/" + std::string(path) + shown_query;
    t.connection_string = cs;
    t.description = shown;
    return t;
}

}  // namespace

sdk::Result<ConnectionTarget> parse_storage_url(const StorageSettings& settings) {
    std::string_view url = settings.url;
    if (url.empty()) return parse_sqlite(settings, "");
    if (url.rfind("sqlite:", 0) == 0) return parse_sqlite(settings, url.substr(7));
    for (std::string_view scheme : {"postgresql://", "postgres://"})
        if (url.rfind(scheme, 0) == 0) return parse_postgresql(url.substr(scheme.size()));
    std::string scheme(url.substr(0, url.find(':')));
    if (scheme.size() > 32) scheme = scheme.substr(0, 32) + "...";
    return invalid("storage url scheme \"" + scheme +
                   "\" is not supported (expected \"\", \"sqlite:PATH\" or \"postgresql://...\")");
}

std::string scrub(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (std::size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
    return text;
}

}  // namespace till::storage::detail
