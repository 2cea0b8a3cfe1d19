#include "domain/people/user_store.hpp"

namespace till::domain::people {

const std::vector<sdk::Migration>& people_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "users and used override tokens",
         "CREATE TABLE users ("
         " id TEXT PRIMARY KEY,"
         " name TEXT NOT NULL UNIQUE,"
         " display_name TEXT NOT NULL,"
         " role TEXT NOT NULL,"
         " active INTEGER NOT NULL,"
         " pin_hash TEXT NOT NULL,"
         " failed_pin_attempts BIGINT NOT NULL DEFAULT 0,"
         " locked_until_utc_ms BIGINT NOT NULL DEFAULT 0,"
         " created_utc_ms BIGINT NOT NULL,"
         " updated_utc_ms BIGINT NOT NULL);"
         "CREATE TABLE used_overrides ("
         " jti TEXT PRIMARY KEY,"
         " user_id TEXT NOT NULL,"
         " action TEXT NOT NULL,"
         " used_utc_ms BIGINT NOT NULL)",
         ""},
        {2, "roles: the actions each role grants, when stored (else the config's)",
         "CREATE TABLE roles ("
         " name TEXT PRIMARY KEY,"
         " actions TEXT NOT NULL,"
         " version BIGINT NOT NULL,"
         " updated_utc_ms BIGINT NOT NULL,"
         " updated_by TEXT NOT NULL)",
         ""},
    };
    return migrations;
}

namespace {

constexpr const char* kColumns =
    "id, name, display_name, role, active, pin_hash, failed_pin_attempts, locked_until_utc_ms, created_utc_ms, "
    "updated_utc_ms";

User from_row(const std::vector<sdk::Value>& row) {
    User u;
    u.id = row.at(0).as_string();
    u.name = row.at(1).as_string();
    u.display_name = row.at(2).as_string();
    u.role = row.at(3).as_string();
    u.active = row.at(4).as_int() != 0;
    u.pin_hash = row.at(5).as_string();
    u.failed_pin_attempts = row.at(6).as_int();
    u.locked_until_utc_ms = row.at(7).as_int();
    u.created_utc_ms = row.at(8).as_int();
    u.updated_utc_ms = row.at(9).as_int();
    return u;
}

sdk::Result<std::optional<User>> find_one(sdk::SqlExecutor& sql, const char* column, const std::string& value) {
    auto rows = sql.query(std::string("SELECT ") + kColumns + " FROM users WHERE " + column + " = ?", {value});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<User>();
    return std::optional<User>(from_row(rows->rows[0]));
}

}  // namespace

sdk::Value user_to_value(const User& u, std::int64_t now_utc_ms) {
    sdk::Value v = sdk::Value::map();
    v.set("id", u.id);
    v.set("name", u.name);
    v.set("display_name", u.display_name);
    v.set("role", u.role);
    v.set("active", u.active);
    const bool locked = u.locked_until_utc_ms > now_utc_ms;
    v.set("locked", locked);
    v.set("locked_until_utc_ms", locked ? sdk::Value(u.locked_until_utc_ms) : sdk::Value());
    v.set("created_utc_ms", u.created_utc_ms);
    v.set("updated_utc_ms", u.updated_utc_ms);
    return v;
}

sdk::Result<std::optional<User>> find_user_by_id(sdk::SqlExecutor& sql, const std::string& id) {
    return find_one(sql, "id", id);
}

sdk::Result<std::optional<User>> find_user_by_name(sdk::SqlExecutor& sql, const std::string& name) {
    return find_one(sql, "name", name);
}

sdk::Result<std::vector<User>> list_users(sdk::SqlExecutor& sql, std::int64_t offset, std::int64_t limit) {
    auto rows = sql.query(std::string("SELECT ") + kColumns + " FROM users ORDER BY name LIMIT ? OFFSET ?",
                          {limit, offset});
    if (!rows) return rows.error();
    std::vector<User> out;
    for (const auto& row : rows->rows) out.push_back(from_row(row));
    return out;
}

sdk::Result<std::int64_t> count_users(sdk::SqlExecutor& sql) {
    auto rows = sql.query("SELECT COUNT(*) FROM users");
    if (!rows) return rows.error();
    return rows->rows.at(0).at(0).as_int();
}

sdk::Result<bool> insert_user(sdk::SqlExecutor& sql, const User& u) {
    auto n = sql.execute(std::string("INSERT INTO users (") + kColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                         {u.id, u.name, u.display_name, u.role, u.active ? 1 : 0, u.pin_hash,
                          u.failed_pin_attempts, u.locked_until_utc_ms, u.created_utc_ms, u.updated_utc_ms});
    if (!n) return n.error();
    return *n == 1;
}

sdk::Status update_user(sdk::SqlExecutor& sql, const User& u) {
    auto n = sql.execute(
        "UPDATE users SET name = ?, display_name = ?, role = ?, active = ?, pin_hash = ?, failed_pin_attempts = ?, "
        "locked_until_utc_ms = ?, updated_utc_ms = ? WHERE id = ?",
        {u.name, u.display_name, u.role, u.active ? 1 : 0, u.pin_hash, u.failed_pin_attempts, u.locked_until_utc_ms,
         u.updated_utc_ms, u.id});
    if (!n) return n.status();
    if (*n != 1) return sdk::Status::failure("not_found", "user " + u.id + " does not exist");
    return sdk::Status::success();
}

sdk::Result<std::int64_t> add_failed_pin(sdk::SqlExecutor& sql, const std::string& user_id,
                                         std::int64_t now_utc_ms) {
    // The UPDATE takes the row lock first, so concurrent wrong PINs each count.
    auto n = sql.execute("UPDATE users SET failed_pin_attempts = failed_pin_attempts + 1, updated_utc_ms = ? "
                         "WHERE id = ?",
                         {now_utc_ms, user_id});
    if (!n) return n.error();
    auto rows = sql.query("SELECT failed_pin_attempts FROM users WHERE id = ?", {user_id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return sdk::Error{"not_found", "user " + user_id + " does not exist"};
    return rows->rows[0].at(0).as_int();
}

sdk::Status lock_user(sdk::SqlExecutor& sql, const std::string& user_id, std::int64_t until_utc_ms,
                      std::int64_t now_utc_ms) {
    auto n = sql.execute("UPDATE users SET failed_pin_attempts = 0, locked_until_utc_ms = ?, updated_utc_ms = ? "
                         "WHERE id = ?",
                         {until_utc_ms, now_utc_ms, user_id});
    return n ? sdk::Status::success() : n.status();
}

sdk::Result<std::int64_t> clear_failed_pins(sdk::SqlExecutor& sql, sdk::Dialect dialect, const std::string& user_id,
                                            std::int64_t now_utc_ms) {
    auto rows = sql.query(dialect == sdk::Dialect::postgresql
                              ? "SELECT locked_until_utc_ms FROM users WHERE id = ? FOR UPDATE"
                              : "SELECT locked_until_utc_ms FROM users WHERE id = ?",
                          {user_id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return sdk::Error{"not_found", "user " + user_id + " does not exist"};
    const std::int64_t locked_until = rows->rows[0].at(0).as_int();
    if (locked_until > now_utc_ms) return locked_until;
    auto n = sql.execute("UPDATE users SET failed_pin_attempts = 0, locked_until_utc_ms = 0 WHERE id = ? AND "
                         "(failed_pin_attempts <> 0 OR locked_until_utc_ms <> 0)",
                         {user_id});
    if (!n) return n.error();
    return std::int64_t{0};
}

sdk::Result<bool> mark_override_used(sdk::SqlExecutor& sql, const std::string& jti, const std::string& user_id,
                                     const std::string& action, std::int64_t now_utc_ms) {
    // The primary key decides: of two transactions inserting the same jti
    // (threads or processes), exactly one inserts a row.
    auto n = sql.execute("INSERT INTO used_overrides (jti, user_id, action, used_utc_ms) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (jti) DO NOTHING",
                         {jti, user_id, action, now_utc_ms});
    if (!n) return n.error();
    return *n == 1;
}

}  // namespace till::domain::people
