#include "domain/people/role_store.hpp"

#include "till/sdk/value.hpp"

namespace till::domain::people {

namespace {

constexpr const char* kColumns = "name, actions, version, updated_utc_ms, updated_by";

std::string actions_json(const std::vector<std::string>& actions) {
    sdk::Value list = sdk::Value::list();
    for (const auto& a : actions) list.push_back(a);
    return list.to_json();
}

sdk::Result<StoredRole> from_row(const std::vector<sdk::Value>& row) {
    StoredRole r;
    r.name = row.at(0).as_string();
    auto parsed = sdk::Value::parse_json(row.at(1).as_string());
    if (!parsed || !parsed->is_list())
        return sdk::Error{"storage_error", "roles: the actions of role " + r.name + " are not a JSON list"};
    for (const auto& a : parsed->as_list())
        if (a.is_string()) r.actions.push_back(a.as_string());
    r.version = row.at(2).as_int();
    r.updated_utc_ms = row.at(3).as_int();
    r.updated_by = row.at(4).as_string();
    return r;
}

}  // namespace

sdk::Result<std::optional<StoredRole>> find_role(sdk::SqlExecutor& sql, const std::string& name) {
    auto rows = sql.query(std::string("SELECT ") + kColumns + " FROM roles WHERE name = ?", {name});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<StoredRole>();
    auto role = from_row(rows->rows[0]);
    if (!role) return role.error();
    return std::optional<StoredRole>(std::move(*role));
}

sdk::Result<std::vector<StoredRole>> list_stored_roles(sdk::SqlExecutor& sql) {
    auto rows = sql.query(std::string("SELECT ") + kColumns + " FROM roles ORDER BY name");
    if (!rows) return rows.error();
    std::vector<StoredRole> out;
    for (const auto& row : rows->rows) {
        auto role = from_row(row);
        if (!role) return role.error();
        out.push_back(std::move(*role));
    }
    return out;
}

sdk::Result<bool> insert_role(sdk::SqlExecutor& sql, const StoredRole& r) {
    auto n = sql.execute(std::string("INSERT INTO roles (") + kColumns +
                             ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                         {r.name, actions_json(r.actions), r.version, r.updated_utc_ms, r.updated_by});
    if (!n) return n.error();
    return *n == 1;
}

sdk::Result<bool> update_role(sdk::SqlExecutor& sql, const StoredRole& r, std::int64_t expected_version) {
    auto n = sql.execute(
        "UPDATE roles SET actions = ?, version = ?, updated_utc_ms = ?, updated_by = ? WHERE name = ? AND version = ?",
        {actions_json(r.actions), r.version, r.updated_utc_ms, r.updated_by, r.name, expected_version});
    if (!n) return n.error();
    return *n == 1;
}

sdk::Status upsert_role(sdk::SqlExecutor& sql, const StoredRole& r) {
    auto n = sql.execute(std::string("INSERT INTO roles (") + kColumns +
                             ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET actions = excluded.actions, "
                             "version = excluded.version, updated_utc_ms = excluded.updated_utc_ms, "
                             "updated_by = excluded.updated_by",
                         {r.name, actions_json(r.actions), r.version, r.updated_utc_ms, r.updated_by});
    if (!n) return n.status();
    return sdk::Status::success();
}

sdk::Result<bool> delete_role(sdk::SqlExecutor& sql, const std::string& name) {
    auto n = sql.execute("DELETE FROM roles WHERE name = ?", {name});
    if (!n) return n.error();
    return *n == 1;
}

}  // namespace till::domain::people
