// A throwaway PostgreSQL 15 server for tests: initdb in a fresh temp dir, a
// free loopback port, its own unix socket dir, fsync off. Binaries come from
// $TILL_PG_BIN (default /usr/lib/postgresql/15/bin). When the test runs as
// root, the server runs as the `postgres` user (initdb refuses root).
//
// Starting costs about a second, so a test executable shares one server
// (TestPostgres::shared()) and gives each test case its own database
// (create_database). Failures throw std::runtime_error carrying the tail of
// the server log: this is test code.
#pragma once

#include <string>

namespace till::test {

class TestPostgres {
public:
    /// Runs initdb and starts the server; throws std::runtime_error on failure.
    TestPostgres();
    /// Stops the server (pg_ctl stop -m immediate) and removes its directory.
    ~TestPostgres();
    TestPostgres(const TestPostgres&) = delete;
    TestPostgres& operator=(const TestPostgres&) = delete;

    /// One server per test executable, started on first use and stopped when
    /// the process exits. Test code only: production code has no such statics.
    static TestPostgres& shared();

    int port() const noexcept { return port_; }
    /// postgresql://postgres@127.0.0.1:PORT/postgres
    std::string url() const;
    /// postgresql://postgres@127.0.0.1:PORT/<dbname>
    std::string url_for(const std::string& dbname) const;
    /// Creates a fresh, empty database named after `name_hint` (letters,
    /// digits and '_' kept, plus a sequence number so each call gets its own)
    /// and returns its URL.
    std::string create_database(const std::string& name_hint);
    /// Creates a login role that must authenticate with `password` over TCP
    /// (scram-sha-256; every other role is trusted). For password tests.
    void create_password_role(const std::string& role, const std::string& password);
    /// Runs one SQL command through psql as the superuser; returns its
    /// output (unaligned, tuples only). Throws on failure.
    std::string psql(const std::string& dbname, const std::string& sql) const;
    /// Last lines of the server log, for messages.
    std::string log_tail() const;

private:
    std::string bin(const std::string& tool) const;
    bool try_start(int port, std::string& why);

    std::string dir_;
    std::string data_dir_;
    std::string socket_dir_;
    std::string log_path_;
    int port_ = 0;
    bool started_ = false;
    int next_db_ = 0;
};

}  // namespace till::test
