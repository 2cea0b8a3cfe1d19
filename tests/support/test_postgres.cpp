#include "support/test_postgres.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "support/temp_dir.hpp"

namespace till::test {
namespace {

struct RunResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// fork/exec without a shell (no quoting to get wrong); stdout and stderr are
// captured through one pipe.
RunResult run(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe() failed");
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw std::runtime_error("fork() failed");
    }
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::dup2(fds[1], STDERR_FILENO);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        const char* msg = "exec failed: ";
        (void)!::write(STDERR_FILENO, msg, std::strlen(msg));
        (void)!::write(STDERR_FILENO, args[0].c_str(), args[0].size());
        ::_exit(127);
    }
    ::close(fds[1]);
    RunResult result;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n > 0) {
            result.output.append(buf, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

bool running_as_root() { return ::geteuid() == 0; }

// initdb and the server refuse to run as root: run them as `postgres`.
std::vector<std::string> as_server_user(std::vector<std::string> args) {
    if (!running_as_root()) return args;
    std::vector<std::string> wrapped{"runuser", "-u", "postgres", "--"};
    wrapped.insert(wrapped.end(), args.begin(), args.end());
    return wrapped;
}

void chown_tree_to_postgres(const std::string& dir) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root but there is no `postgres` user to run the test server");
    namespace fs = std::filesystem;
    if (::chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error("cannot chown " + dir + " to postgres: " + std::strerror(errno));
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (::lchown(entry.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
            throw std::runtime_error("cannot chown " + entry.path().string() + ": " + std::strerror(errno));
    }
}

std::string tail_lines(const std::string& text, std::size_t max_lines) {
    std::size_t pos = text.size();
    std::size_t lines = 0;
    while (pos > 0) {
        std::size_t nl = text.rfind('\n', pos - 1);
        if (nl == std::string::npos) return text;
        if (nl != text.size() - 1 && ++lines >= max_lines) return text.substr(nl + 1);
        pos = nl;
    }
    return text;
}

}  // namespace

TestPostgres::TestPostgres() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/till-pg-XXXXXX";
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed for " + templ);
    dir_ = templ;
    data_dir_ = dir_ + "/data";
    socket_dir_ = dir_ + "/sock";
    log_path_ = dir_ + "/server.log";
    std::filesystem::create_directories(socket_dir_);
    if (running_as_root()) {
        // mkdtemp makes the dir 0700; postgres owns it from now on.
        chown_tree_to_postgres(dir_);
    }

    RunResult init = run(as_server_user({bin("initdb"), "-D", data_dir_, "-U", "postgres", "-A", "trust",
                                         "-E", "UTF8", "--locale=C", "--no-sync"}));
    if (init.exit_code != 0) {
        std::string out = init.output;
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        throw std::runtime_error("TestPostgres: initdb failed (exit " + std::to_string(init.exit_code) +
                                 "):\n" + tail_lines(out, 30));
    }

    // Members of `password_users` must give a password over TCP; everyone
    // else is trusted. pg_hba is first-match: this line goes first.
    {
        std::string hba_path = data_dir_ + "/pg_hba.conf";
        std::string hba = read_file(hba_path);
        std::string rule = "host all +password_users 127.0.0.1/32 scram-sha-256\n";
        TempDir scratch("till-pg-hba");
        std::string tmp = scratch.write("pg_hba.conf", rule + hba);
        std::filesystem::copy_file(tmp, hba_path, std::filesystem::copy_options::overwrite_existing);
    }

    std::string why;
    for (int attempt = 0; attempt < 8; ++attempt) {
        int port = free_loopback_port();
        if (try_start(port, why)) {
            port_ = port;
            started_ = true;
            try {
                psql("postgres", "CREATE ROLE password_users NOLOGIN");
            } catch (...) {
                run(as_server_user({bin("pg_ctl"), "-D", data_dir_, "-m", "immediate", "-w", "stop"}));
                std::error_code ec;
                std::filesystem::remove_all(dir_, ec);
                throw;
            }
            return;
        }
        // Someone took the port between our probe and the server's bind: try
        // another. Any other failure is final.
        if (why.find("Address already in use") == std::string::npos &&
            why.find("could not create any TCP/IP sockets") == std::string::npos)
            break;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw std::runtime_error("TestPostgres: server did not start:\n" + why);
}

bool TestPostgres::try_start(int port, std::string& why) {
    std::string options = "-p " + std::to_string(port) + " -k " + socket_dir_ +
                          " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                          " -c full_page_writes=off";
    RunResult start = run(as_server_user(
        {bin("pg_ctl"), "-D", data_dir_, "-l", log_path_, "-w", "-t", "60", "-o", options, "start"}));
    if (start.exit_code == 0) return true;
    why = "pg_ctl start (port " + std::to_string(port) + ") exit " + std::to_string(start.exit_code) + ":\n" +
          tail_lines(start.output, 10) + "\nserver log:\n" + log_tail();
    return false;
}

TestPostgres::~TestPostgres() {
    if (started_) run(as_server_user({bin("pg_ctl"), "-D", data_dir_, "-m", "immediate", "-w", "stop"}));
    const char* keep = std::getenv("TILL_KEEP_TEST_DIRS");
    if (keep && std::string(keep) == "1") return;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

TestPostgres& TestPostgres::shared() {
    static TestPostgres server;
    return server;
}

std::string TestPostgres::bin(const std::string& tool) const {
    const char* env = std::getenv("TILL_PG_BIN");
    std::string dir = env && *env ? env : "/usr/lib/postgresql/15/bin";
    return dir + "/" + tool;
}

std::string TestPostgres::url() const { return url_for("postgres"); }

std::string TestPostgres::url_for(const std::string& dbname) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
}

std::string TestPostgres::create_database(const std::string& name_hint) {
    std::string name;
    for (char c : name_hint) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_') name += static_cast<char>(std::tolower(u));
        if (name.size() >= 40) break;
    }
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) name = "db_" + name;
    name += "_" + std::to_string(++next_db_);
    RunResult r = run({bin("createdb"), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres", name});
    if (r.exit_code != 0)
        throw std::runtime_error("TestPostgres: createdb " + name + " failed:\n" + r.output + "\nserver log:\n" +
                                 log_tail());
    return url_for(name);
}

void TestPostgres::create_password_role(const std::string& role, const std::string& password) {
    auto quote = [](const std::string& text, char q) {
        std::string out(1, q);
        for (char c : text) {
            if (c == q) out += q;
            out += c;
        }
        return out + q;
    };
    psql("postgres", "CREATE ROLE " + quote(role, '"') + " LOGIN PASSWORD " + quote(password, '\'') +
                         " IN ROLE password_users");
}

std::string TestPostgres::psql(const std::string& dbname, const std::string& sql) const {
    RunResult r = run({bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                       std::to_string(port_), "-U", "postgres", "-d", dbname, "-c", sql});
    if (r.exit_code != 0)
        throw std::runtime_error("TestPostgres: psql failed on `" + sql + "`:\n" + r.output + "\nserver log:\n" +
                                 log_tail());
    return r.output;
}

std::string TestPostgres::log_tail() const { return tail_lines(read_file(log_path_), 20); }

}  // namespace till::test

// Poco 1.11's PostgreSQL SessionHandle never calls PQfinish on a connection
// whose status is no longer CONNECTION_OK (a failed login, a backend the
// server terminated): it leaks that PGconn on reconnect. The storage tests
// provoke exactly those cases, so LeakSanitizer (TILL_SANITIZE builds) is
// told about this third-party leak here, where the tests that need it link.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:PQconnectStart\nleak:PQconnectPoll\nleak:PQconnectdb\n";
}
