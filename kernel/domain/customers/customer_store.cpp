#include "domain/customers/customer_store.hpp"

#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "domain/customers/customer_rules.hpp"

namespace till::domain::customers {

namespace {

// Sort keys, ids and search terms compare byte-wise on both backends
// (SQLite's BINARY; PostgreSQL's "C" collation), so prefix ranges and
// cursors mean the same thing everywhere.
constexpr const char* kSchema =
    "CREATE TABLE customers ("
    " id TEXT {C} PRIMARY KEY,"
    " display_name TEXT NOT NULL,"
    " given_name TEXT NOT NULL,"
    " family_name TEXT NOT NULL,"
    " email TEXT NOT NULL,"
    " email_key TEXT,"
    " phone TEXT NOT NULL,"
    " phone_normalized TEXT NOT NULL,"
    " phone_digits TEXT NOT NULL,"
    " note TEXT NOT NULL,"
    " tax_exempt INTEGER NOT NULL,"
    " tax_exempt_reference TEXT NOT NULL,"
    " marketing_opt_in INTEGER NOT NULL,"
    " active INTEGER NOT NULL,"
    " sort_name TEXT {C} NOT NULL,"
    " created_utc_ms BIGINT NOT NULL,"
    " updated_utc_ms BIGINT NOT NULL,"
    " version BIGINT NOT NULL,"
    " field_stamps TEXT NOT NULL);"
    "CREATE UNIQUE INDEX customers_email_key ON customers (email_key);"
    "CREATE INDEX customers_sort ON customers (sort_name, id);"
    "CREATE TABLE customer_terms ("
    " term TEXT {C} NOT NULL,"
    " customer_id TEXT NOT NULL,"
    " PRIMARY KEY (term, customer_id));"
    "CREATE INDEX customer_terms_customer ON customer_terms (customer_id)";

std::string schema_for(const std::string& collate) {
    std::string sql = kSchema;
    for (std::size_t at; (at = sql.find("{C}")) != std::string::npos;) sql.replace(at, 3, collate);
    return sql;
}

constexpr const char* kColumns =
    "id, display_name, given_name, family_name, email, phone, phone_normalized, note, tax_exempt, "
    "tax_exempt_reference, marketing_opt_in, active, created_utc_ms, updated_utc_ms, version, field_stamps, "
    "sort_name";

/// Just above every text that starts with a prefix: U+10FFFF appended.
constexpr const char* kPrefixEnd = "\xF4\x8F\xBF\xBF";

Customer from_row(const std::vector<sdk::Value>& row) {
    Customer c;
    c.id = row.at(0).as_string();
    c.display_name = row.at(1).as_string();
    c.given_name = row.at(2).as_string();
    c.family_name = row.at(3).as_string();
    c.email = row.at(4).as_string();
    c.phone = row.at(5).as_string();
    c.phone_normalized = row.at(6).as_string();
    c.note = row.at(7).as_string();
    c.tax_exempt = row.at(8).as_int() != 0;
    c.tax_exempt_reference = row.at(9).as_string();
    c.marketing_opt_in = row.at(10).as_int() != 0;
    c.active = row.at(11).as_int() != 0;
    c.created_utc_ms = row.at(12).as_int();
    c.updated_utc_ms = row.at(13).as_int();
    c.version = row.at(14).as_int();
    auto stamps = sdk::Value::parse_json(row.at(15).as_string());
    if (stamps) c.field_stamps = stamps_from_value(*stamps);
    return c;
}

std::string sort_name_of(const Customer& c) { return fold_case(c.display_name); }

std::string digits_only(const std::string& phone_normalized) {
    return phone_normalized.empty() || phone_normalized[0] != '+' ? phone_normalized : phone_normalized.substr(1);
}

sdk::Value email_key_param(const Customer& c, CustomerStore::EmailKey key) {
    return c.email.empty() || key == CustomerStore::EmailKey::shared ? sdk::Value() : sdk::Value(email_key(c.email));
}

sdk::Error bad_cursor() {
    return sdk::Error{std::string(error_code::bad_request),
                      "query parameter cursor: not the `next` of an earlier page of this search"};
}

}  // namespace

const std::vector<sdk::Migration>& customer_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "customers and their search terms", schema_for(""), schema_for("COLLATE \"C\"")},
    };
    return migrations;
}

std::string encode_cursor(const std::string& sort_name, const std::string& id) {
    static const char* hex = "0123456789abcdef";
    const std::string raw = sort_name + '\n' + id;
    std::string out;
    out.reserve(raw.size() * 2);
    for (unsigned char c : raw) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

bool decode_cursor(const std::string& cursor, std::string& sort_name, std::string& id) {
    if (cursor.size() % 2 != 0 || cursor.size() > 4 * 1024) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string raw;
    for (std::size_t i = 0; i < cursor.size(); i += 2) {
        const int hi = nibble(cursor[i]);
        const int lo = nibble(cursor[i + 1]);
        if (hi < 0 || lo < 0) return false;
        raw += static_cast<char>(hi * 16 + lo);
    }
    const std::size_t sep = raw.rfind('\n');
    if (sep == std::string::npos) return false;
    sort_name = raw.substr(0, sep);
    id = raw.substr(sep + 1);
    return is_clean_text(sort_name) && is_uuid_text(id);
}

sdk::Result<std::optional<Customer>> CustomerStore::find(sdk::SqlExecutor& tx, const std::string& id,
                                                         Lock lock) const {
    std::string sql = std::string("SELECT ") + kColumns + " FROM customers WHERE id = ?";
    if (lock == Lock::for_update && dialect_ == sdk::Dialect::postgresql) sql += " FOR UPDATE";
    auto rows = tx.query(sql, {id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<Customer>();
    return std::optional<Customer>(from_row(rows->rows[0]));
}

sdk::Result<std::optional<std::string>> CustomerStore::id_by_email(sdk::SqlExecutor& tx,
                                                                   const std::string& key) const {
    auto rows = tx.query("SELECT id FROM customers WHERE email_key = ?", {key});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows->rows[0].at(0).as_string());
}

sdk::Status CustomerStore::insert(sdk::SqlExecutor& tx, const Customer& c, EmailKey key) const {
    auto n = tx.execute(
        "INSERT INTO customers (id, display_name, given_name, family_name, email, email_key, phone, "
        "phone_normalized, phone_digits, note, tax_exempt, tax_exempt_reference, marketing_opt_in, active, "
        "sort_name, created_utc_ms, updated_utc_ms, version, field_stamps) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {c.id, c.display_name, c.given_name, c.family_name, c.email, email_key_param(c, key), c.phone,
         c.phone_normalized, digits_only(c.phone_normalized), c.note, c.tax_exempt ? 1 : 0, c.tax_exempt_reference,
         c.marketing_opt_in ? 1 : 0, c.active ? 1 : 0, sort_name_of(c), c.created_utc_ms, c.updated_utc_ms,
         c.version, stamps_to_value(c.field_stamps).to_json()});
    if (!n) return n.status();
    return write_terms(tx, c);
}

sdk::Result<bool> CustomerStore::update(sdk::SqlExecutor& tx, const Customer& c, std::int64_t expected_version,
                                        EmailKey key) const {
    auto n = tx.execute(
        "UPDATE customers SET display_name = ?, given_name = ?, family_name = ?, email = ?, email_key = ?, "
        "phone = ?, phone_normalized = ?, phone_digits = ?, note = ?, tax_exempt = ?, tax_exempt_reference = ?, "
        "marketing_opt_in = ?, active = ?, sort_name = ?, updated_utc_ms = ?, version = ?, field_stamps = ? "
        "WHERE id = ? AND version = ?",
        {c.display_name, c.given_name, c.family_name, c.email, email_key_param(c, key), c.phone, c.phone_normalized,
         digits_only(c.phone_normalized), c.note, c.tax_exempt ? 1 : 0, c.tax_exempt_reference,
         c.marketing_opt_in ? 1 : 0, c.active ? 1 : 0, sort_name_of(c), c.updated_utc_ms, c.version,
         stamps_to_value(c.field_stamps).to_json(), c.id, expected_version});
    if (!n) return n.error();
    if (*n != 1) return false;
    if (auto s = tx.execute("DELETE FROM customer_terms WHERE customer_id = ?", {c.id}); !s) return s.error();
    if (auto s = write_terms(tx, c); !s.ok()) return s.error();
    return true;
}

sdk::Status CustomerStore::write_terms(sdk::SqlExecutor& tx, const Customer& c) const {
    for (const std::string& term : search_terms(c)) {
        auto n = tx.execute("INSERT INTO customer_terms (term, customer_id) VALUES (?, ?)", {term, c.id});
        if (!n) return n.status();
    }
    return {};
}

sdk::Result<SearchPage> CustomerStore::search(sdk::SqlExecutor& sql, const SearchQuery& query) const {
    std::string text = std::string("SELECT ") + kColumns + " FROM customers WHERE 1 = 1";
    std::vector<sdk::Value> params;
    if (!query.include_inactive) text += " AND active = 1";

    const std::string whole_phone = phone_digits_of(trim(query.q));
    if (!whole_phone.empty()) {
        text += " AND phone_digits LIKE ?";
        params.emplace_back("%" + whole_phone + "%");
    } else {
        for (const std::string& word : query_words(query.q)) {
            text += " AND (id IN (SELECT customer_id FROM customer_terms WHERE term >= ? AND term < ?)";
            params.emplace_back(word);
            params.emplace_back(word + kPrefixEnd);
            if (const std::string digits = phone_digits_of(word); !digits.empty()) {
                text += " OR phone_digits LIKE ?";
                params.emplace_back("%" + digits + "%");
            }
            text += ")";
        }
    }
    if (!query.cursor.empty()) {
        std::string sort_name;
        std::string id;
        if (!decode_cursor(query.cursor, sort_name, id)) return bad_cursor();
        text += " AND (sort_name > ? OR (sort_name = ? AND id > ?))";
        params.emplace_back(sort_name);
        params.emplace_back(sort_name);
        params.emplace_back(id);
    }
    text += " ORDER BY sort_name, id LIMIT ?";
    params.emplace_back(query.limit + 1);

    auto rows = sql.query(text, params);
    if (!rows) return rows.error();
    SearchPage page;
    for (const auto& row : rows->rows) {
        if (static_cast<std::int64_t>(page.items.size()) == query.limit) {
            const auto& last = rows->rows[page.items.size() - 1];
            page.next = encode_cursor(last.at(16).as_string(), last.at(0).as_string());
            break;
        }
        page.items.push_back(from_row(row));
    }
    return page;
}

}  // namespace till::domain::customers
