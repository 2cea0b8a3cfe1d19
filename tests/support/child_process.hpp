// A child process for tests that run real binaries (tilld, tillctl).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace till::test {

class ChildProcess {
public:
    /// Starts argv[0] with stdout and stderr sent to `log_path`.
    ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
    ~ChildProcess();  ///< SIGKILLs the child if it still runs
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    bool send_signal(int signal_number);
    /// Waits up to `timeout_ms`; returns the exit code, 128+signal when
    /// killed by a signal, or -1 when still running.
    int wait_exit(int timeout_ms);
    bool running();

private:
    pid_t pid_ = -1;
    int exit_code_ = -1;
};

/// Runs a command to completion; returns its exit code, output in `output`.
int run_command(const std::vector<std::string>& argv, std::string& output, int timeout_ms = 60000);

/// Waits (bounded) until `path` exists and is non-empty; returns its content or "".
std::string wait_for_file(const std::string& path, int timeout_ms);

}  // namespace till::test
