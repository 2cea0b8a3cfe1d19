#include "storage/database.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "storage/session_pool.hpp"
#include "storage/statement_runner.hpp"
#include "storage/storage_url.hpp"

namespace till::storage {
namespace {

using detail::StatementOutcome;
using detail::StorageFailure;

// How long a caller waits for a pooled connection before giving up.
constexpr std::chrono::milliseconds kAcquireWait{30000};

void sqlite_exec(sqlite3* db, const std::string& sql, std::string* first_value = nullptr) {
    char* err = nullptr;
    auto capture = [](void* out, int columns, char** values, char**) -> int {
        auto* s = static_cast<std::string*>(out);
        if (s && columns > 0 && values[0]) *s = values[0];
        return 0;
    };
    int rc = sqlite3_exec(db, sql.c_str(), capture, first_value, &err);
    if (rc != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StorageFailure("storage_error", detail::with_sql(message, sql));
    }
}

// Runs on every new SQLite session the pool creates.
void setup_sqlite_session(Poco::Data::Session& session, int busy_timeout_ms) {
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
    sqlite_exec(db, "PRAGMA busy_timeout=" + std::to_string(busy_timeout_ms));
    std::string mode;
    sqlite_exec(db, "PRAGMA journal_mode=WAL", &mode);
    if (mode != "wal") throw StorageFailure("storage_error", "SQLite refused WAL journal mode (got \"" + mode + "\")");
    sqlite_exec(db, "PRAGMA synchronous=FULL");
    sqlite_exec(db, "PRAGMA foreign_keys=ON");
}

// Runs on every new PostgreSQL session: NOTICEs (e.g. "relation already
// exists, skipping") would otherwise go to stderr through libpq.
void setup_postgresql_session(Poco::Data::Session& session) {
    detail::run_postgresql(session, "SET client_min_messages TO WARNING", {});
}

}  // namespace

// All the work; Database::Impl is just this (a named type so the executor
// below can use it, Impl being private).
struct DatabaseCore {
    StorageSettings settings;
    detail::ConnectionTarget target;
    std::unique_ptr<detail::SessionPool> pool;

    sdk::Error to_error(const StorageFailure& f) const { return {f.code(), detail::scrub(f.what(), target.password)}; }
    sdk::Error to_error(const std::string& what, std::string_view sql) const {
        return {"storage_error", detail::scrub(detail::with_sql(what, sql), target.password)};
    }

    StatementOutcome run(Poco::Data::Session& session, std::string_view sql, const std::vector<sdk::Value>& params) {
        return target.dialect == sdk::Dialect::sqlite ? detail::run_sqlite(session, sql, params)
                                                      : detail::run_postgresql(session, sql, params);
    }

    // A statement outside any transaction, on a pooled session. A statement
    // that failed because its connection was found dead before the server
    // got it is run again on another session; it cannot run twice. Bounded
    // by the pool size + 1: after a server restart every pooled session may
    // be dead, and each failed try drops one of them.
    sdk::Result<StatementOutcome> run_pooled(std::string_view sql, const std::vector<sdk::Value>& params) {
        const int max_tries = settings.pool_size + 1;
        for (int attempt = 1;; ++attempt) {
            try {
                detail::SessionLease lease = pool->acquire(kAcquireWait);
                return run(lease.session(), sql, params);
            } catch (const StorageFailure& f) {
                if (f.connection_lost_before_run() && attempt < max_tries) continue;
                return to_error(f);
            } catch (const Poco::Exception& e) {
                return to_error(e.displayText(), sql);
            } catch (const std::exception& e) {
                return to_error(e.what(), sql);
            }
        }
    }

    void begin(Poco::Data::Session& session, bool relaxed) {
        if (target.dialect == sdk::Dialect::sqlite) {
            // synchronous is per connection and cannot change inside a
            // transaction: set it before every BEGIN, so a pooled session
            // that last ran a relaxed transaction is FULL again.
            run(session, relaxed ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL", {});
            // IMMEDIATE takes the write lock now: a deferred transaction that
            // reads then writes can fail with SQLITE_BUSY without waiting.
            run(session, "BEGIN IMMEDIATE", {});
        } else {
            session.begin();
            if (relaxed) run(session, "SET LOCAL synchronous_commit TO OFF", {});
        }
    }
    void commit(Poco::Data::Session& session) {
        if (target.dialect == sdk::Dialect::sqlite)
            run(session, "COMMIT", {});
        else
            session.commit();
    }
    void rollback(Poco::Data::Session& session) noexcept {
        try {
            if (target.dialect == sdk::Dialect::sqlite)
                run(session, "ROLLBACK", {});
            else
                session.rollback();
        } catch (...) {
            // A dead connection rolls back on the server by itself.
        }
    }
};

struct Database::Impl : DatabaseCore {};

namespace {

// The executor handed to transaction work: every statement on one session,
// no retries (a statement inside a transaction is never run twice).
class TransactionExecutor final : public sdk::SqlExecutor {
public:
    TransactionExecutor(DatabaseCore& db, Poco::Data::Session& session) : db_(db), session_(session) {}

    sdk::Result<sdk::QueryResult> query(std::string_view sql, const std::vector<sdk::Value>& params) override {
        auto r = run(sql, params);
        if (!r) return r.error();
        return std::move(r.value().result);
    }
    sdk::Result<std::int64_t> execute(std::string_view sql, const std::vector<sdk::Value>& params) override {
        auto r = run(sql, params);
        if (!r) return r.error();
        return r.value().rows_affected;
    }

private:
    sdk::Result<StatementOutcome> run(std::string_view sql, const std::vector<sdk::Value>& params) {
        try {
            return db_.run(session_, sql, params);
        } catch (const StorageFailure& f) {
            return db_.to_error(f);
        } catch (const Poco::Exception& e) {
            return db_.to_error(e.displayText(), sql);
        } catch (const std::exception& e) {
            return db_.to_error(e.what(), sql);
        }
    }

    DatabaseCore& db_;
    Poco::Data::Session& session_;
};

}  // namespace

Database::Database() : impl_(std::make_unique<Impl>()) {}
Database::~Database() = default;

sdk::Result<std::unique_ptr<Database>> Database::open(const StorageSettings& settings) {
    // Registering again is harmless; doing it here keeps static
    // initialisation out of the picture.
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();

    if (settings.pool_size < 1)
        return sdk::Error{"invalid_argument", "storage pool_size must be at least 1 (got " +
                                                  std::to_string(settings.pool_size) + ")"};
    if (settings.busy_timeout_ms < 0)
        return sdk::Error{"invalid_argument", "storage busy_timeout_ms must not be negative"};
    auto target = detail::parse_storage_url(settings);
    if (!target) return target.error();

    std::unique_ptr<Database> db(new Database());
    db->impl_->settings = settings;
    db->impl_->target = std::move(target.value());
    const detail::ConnectionTarget& t = db->impl_->target;

    if (t.dialect == sdk::Dialect::sqlite) {
        std::error_code ec;
        std::filesystem::path dir = std::filesystem::path(t.connection_string).parent_path();
        std::filesystem::create_directories(dir, ec);
        if (ec) return sdk::Error{"io_error", "cannot create the data directory " + dir.string() + ": " + ec.message()};
    }

    sdk::Dialect dialect = t.dialect;
    int busy_timeout_ms = settings.busy_timeout_ms;
    try {
        db->impl_->pool = std::make_unique<detail::SessionPool>(
            t.connector, t.connection_string, settings.pool_size, [dialect, busy_timeout_ms](Poco::Data::Session& s) {
                if (dialect == sdk::Dialect::sqlite)
                    setup_sqlite_session(s, busy_timeout_ms);
                else
                    setup_postgresql_session(s);
            });
        // Connect once now, so a bad URL, password or file fails here.
        detail::SessionLease probe = db->impl_->pool->acquire(kAcquireWait);
        if (dialect == sdk::Dialect::postgresql) db->impl_->run(probe.session(), "SELECT 1", {});
    } catch (const StorageFailure& f) {
        return sdk::Error{"storage_error",
                          "cannot open database " + t.description + ": " + detail::scrub(f.what(), t.password)};
    } catch (const Poco::Exception& e) {
        return sdk::Error{"storage_error", "cannot open database " + t.description + ": " +
                                               detail::scrub(e.displayText(), t.password)};
    } catch (const std::exception& e) {
        return sdk::Error{"storage_error",
                          "cannot open database " + t.description + ": " + detail::scrub(e.what(), t.password)};
    }
    return db;
}

sdk::Dialect Database::dialect() const noexcept { return impl_->target.dialect; }

std::string Database::describe() const { return impl_->target.description; }

sdk::Result<sdk::QueryResult> Database::query(std::string_view sql, const std::vector<sdk::Value>& params) {
    auto r = impl_->run_pooled(sql, params);
    if (!r) return r.error();
    return std::move(r.value().result);
}

sdk::Result<std::int64_t> Database::execute(std::string_view sql, const std::vector<sdk::Value>& params) {
    auto r = impl_->run_pooled(sql, params);
    if (!r) return r.error();
    return r.value().rows_affected;
}

namespace {
sdk::Status run_transaction(DatabaseCore& impl, const std::function<sdk::Status(sdk::SqlExecutor&)>& work,
                            bool relaxed);
}  // namespace

sdk::Status Database::transaction(const std::function<sdk::Status(sdk::SqlExecutor&)>& work) {
    return run_transaction(*impl_, work, false);
}

sdk::Status Database::relaxed_transaction(const std::function<sdk::Status(sdk::SqlExecutor&)>& work) {
    return run_transaction(*impl_, work, true);
}

namespace {
sdk::Status run_transaction_body(DatabaseCore& impl, detail::SessionLease& lease,
                                 const std::function<sdk::Status(sdk::SqlExecutor&)>& work);

sdk::Status run_transaction(DatabaseCore& impl, const std::function<sdk::Status(sdk::SqlExecutor&)>& work,
                            bool relaxed) {
    std::optional<detail::SessionLease> lease;
    // BEGIN on a connection the server dropped fails without doing anything:
    // take another session (bounded like run_pooled).
    for (int attempt = 1; !lease; ++attempt) {
        try {
            detail::SessionLease candidate = impl.pool->acquire(kAcquireWait);
            try {
                impl.begin(candidate.session(), relaxed);
            } catch (const StorageFailure&) {
                throw;
            } catch (const Poco::Exception& e) {
                bool dead = !candidate.session().isConnected();
                throw StorageFailure("storage_error", "BEGIN failed: " + e.displayText(), dead);
            }
            lease.emplace(std::move(candidate));
        } catch (const StorageFailure& f) {
            if (f.connection_lost_before_run() && attempt <= impl.settings.pool_size) continue;
            return impl.to_error(f);
        } catch (const Poco::Exception& e) {
            return impl.to_error(e.displayText(), "BEGIN");
        } catch (const std::exception& e) {
            return impl.to_error(e.what(), "BEGIN");
        }
    }

    return run_transaction_body(impl, *lease, work);
}

sdk::Status run_transaction_body(DatabaseCore& impl, detail::SessionLease& lease,
                                 const std::function<sdk::Status(sdk::SqlExecutor&)>& work) {
    Poco::Data::Session& session = lease.session();
    TransactionExecutor executor(impl, session);
    sdk::Status outcome;
    try {
        outcome = work(executor);
    } catch (const std::exception& e) {
        outcome = sdk::Status::failure("exception", std::string("transaction rolled back: its work threw: ") + e.what());
    } catch (...) {
        outcome = sdk::Status::failure("exception", "transaction rolled back: its work threw a non-standard exception");
    }
    if (!outcome.ok()) {
        impl.rollback(session);
        return outcome;
    }
    try {
        impl.commit(session);
        return sdk::Status::success();
    } catch (const StorageFailure& f) {
        impl.rollback(session);
        return impl.to_error(f);
    } catch (const Poco::Exception& e) {
        impl.rollback(session);
        return impl.to_error("COMMIT failed: " + e.displayText(), "COMMIT");
    } catch (const std::exception& e) {
        impl.rollback(session);
        return impl.to_error(std::string("COMMIT failed: ") + e.what(), "COMMIT");
    }
}
}  // namespace

}  // namespace till::storage
