// Runs one test body against SQLite (a fresh temp data dir) and PostgreSQL (a
// fresh database on the shared throwaway server). PostgreSQL failing to start
// fails the test: nothing is skipped.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "support/temp_dir.hpp"
#include "support/test_postgres.hpp"

namespace till::storage::testing {

struct Backend {
    std::string name;  ///< "sqlite" or "postgresql"
    StorageSettings settings;
    std::shared_ptr<test::TempDir> dir;  ///< data dir, kept alive with the backend
};

inline std::vector<Backend> backends(const std::string& hint) {
    std::vector<Backend> out;
    {
        Backend b{"sqlite", {}, std::make_shared<test::TempDir>("till-storage")};
        b.settings.data_dir = b.dir->path();
        out.push_back(b);
    }
    {
        Backend b{"postgresql", {}, std::make_shared<test::TempDir>("till-storage")};
        b.settings.data_dir = b.dir->path();
        b.settings.url = test::TestPostgres::shared().create_database(hint);
        out.push_back(b);
    }
    return out;
}

inline std::unique_ptr<Database> open_db(const StorageSettings& settings) {
    auto db = Database::open(settings);
    INFO("open: " << (db ? std::string("ok") : db.error().code + ": " + db.error().message));
    REQUIRE(db.ok());
    return std::move(db.value());
}

/// Calls body(backend) once per backend, labelling failures with its name.
template <class Body>
void for_each_backend(const std::string& hint, Body&& body) {
    for (Backend& b : backends(hint)) {
        INFO("backend: " << b.name);
        body(b);
    }
}

inline std::string describe_error(const sdk::Error& e) { return e.code + ": " + e.message; }

}  // namespace till::storage::testing
