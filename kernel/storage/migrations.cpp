#include "storage/migrations.hpp"

#include <chrono>

#include "storage/sql_text.hpp"

namespace till::storage {
namespace {

// Key of the PostgreSQL advisory lock serialising migrations across nodes
// sharing one database ("TILL" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x54494C4C;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " description TEXT NOT NULL,"
    " applied_utc_ms BIGINT NOT NULL,"
    " PRIMARY KEY (module, version))";

std::int64_t now_utc_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

sdk::Status lock_if_postgresql(sdk::Storage& storage, sdk::SqlExecutor& tx) {
    if (storage.dialect() != sdk::Dialect::postgresql) return {};
    // Held until the transaction ends; a second node waits here, then sees
    // the version the first one recorded.
    auto r = tx.execute("SELECT pg_advisory_xact_lock(?)", {sdk::Value(static_cast<long long>(kMigrationLockKey))});
    return r.status();
}

sdk::Result<int> version_in(sdk::SqlExecutor& exec, const std::string& module) {
    auto r = exec.query("SELECT version FROM schema_migrations WHERE module = ? ORDER BY version DESC LIMIT 1",
                        {sdk::Value(module)});
    if (!r) return r.error();
    if (r->rows.empty()) return 0;
    return static_cast<int>(r->rows[0][0].as_int());
}

sdk::Status ensure_table(sdk::Storage& storage) {
    // Inside the lock too: two PostgreSQL sessions racing on CREATE TABLE IF
    // NOT EXISTS can both try to create it.
    return storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        if (auto st = lock_if_postgresql(storage, tx); !st) return st;
        return tx.execute(kCreateTable).status();
    });
}

sdk::Status validate(const std::string& module, const std::vector<sdk::Migration>& migrations) {
    if (module.empty()) return sdk::Status::failure("invalid_argument", "migrations need a module name");
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        int expected = static_cast<int>(i + 1);
        if (migrations[i].version != expected)
            return sdk::Status::failure(
                "invalid_argument", "migrations of module \"" + module + "\" must be numbered 1, 2, 3, ... in order: " +
                                        "position " + std::to_string(i + 1) + " has version " +
                                        std::to_string(migrations[i].version) + ", expected " +
                                        std::to_string(expected));
    }
    return {};
}

std::string too_new_message(const std::string& module, int db_version, int newest) {
    return "database schema for module \"" + module + "\" is at version " + std::to_string(db_version) +
           ", newer than this build knows (" + std::to_string(newest) + "): refusing to run \xE2\x80\x94 upgrade Till";
}

}  // namespace

sdk::Result<int> applied_version(sdk::Storage& storage, const std::string& module) {
    if (auto st = ensure_table(storage); !st) return st.error();
    return version_in(storage, module);
}

sdk::Status apply_migrations(sdk::Storage& storage, const std::string& module,
                             const std::vector<sdk::Migration>& migrations) {
    if (auto st = validate(module, migrations); !st) return st;
    const int newest = static_cast<int>(migrations.size());
    auto current = applied_version(storage, module);
    if (!current) return current.status();
    if (*current > newest) return sdk::Status::failure("schema_too_new", too_new_message(module, *current, newest));

    for (const sdk::Migration& m : migrations) {
        if (m.version <= *current) continue;
        const std::string& text = storage.dialect() == sdk::Dialect::postgresql && !m.sql_postgresql.empty()
                                      ? m.sql_postgresql
                                      : m.sql_sqlite;
        // The steps and their record commit together or not at all (DDL is
        // transactional on both SQLite and PostgreSQL).
        sdk::Status st = storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            if (auto locked = lock_if_postgresql(storage, tx); !locked) return locked;
            // Re-read under the lock: another node may have got here first.
            auto now = version_in(tx, module);
            if (!now) return now.status();
            if (*now >= m.version) return {};
            if (*now != m.version - 1)
                return sdk::Status::failure("storage_error", "module \"" + module + "\" is at version " +
                                                                 std::to_string(*now) + ", cannot apply version " +
                                                                 std::to_string(m.version));
            for (const std::string& statement : detail::split_statements(text)) {
                auto r = tx.execute(statement);
                if (!r) return r.status();
            }
            return tx
                .execute("INSERT INTO schema_migrations (module, version, description, applied_utc_ms) "
                         "VALUES (?, ?, ?, ?)",
                         {sdk::Value(module), sdk::Value(m.version), sdk::Value(m.description),
                          sdk::Value(static_cast<long long>(now_utc_ms()))})
                .status();
        });
        if (!st)
            return sdk::Status::failure(st.error().code, "migration " + std::to_string(m.version) + " (" +
                                                             m.description + ") of module \"" + module +
                                                             "\" failed and was rolled back: " + st.message());
    }
    return {};
}

const std::vector<sdk::Migration>& kernel_migrations() {
    static const std::vector<sdk::Migration> migrations{
        {1, "node identity",
         "CREATE TABLE node_identity (key TEXT PRIMARY KEY, value TEXT NOT NULL)", ""},
    };
    return migrations;
}

}  // namespace till::storage
