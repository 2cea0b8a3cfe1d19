#include "support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "support/temp_dir.hpp"

namespace till::test {
namespace {

using Clock = std::chrono::steady_clock;

pid_t spawn(const std::vector<std::string>& argv, int out_fd) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        // Unblock every signal the test runner may have blocked.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        dup2(out_fd, STDOUT_FILENO);
        dup2(out_fd, STDERR_FILENO);
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
        execv(args[0], args.data());
        _exit(127);
    }
    return pid;
}

int decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + log_path);
    pid_ = spawn(argv, fd);
    close(fd);
}

ChildProcess::~ChildProcess() {
    if (running()) {
        kill(pid_, SIGKILL);
        wait_exit(10000);
    }
}

bool ChildProcess::send_signal(int signal_number) { return pid_ > 0 && kill(pid_, signal_number) == 0; }

int ChildProcess::wait_exit(int timeout_ms) {
    if (exit_code_ >= 0) return exit_code_;
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        int status = 0;
        pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exit_code_ = decode(status);
            return exit_code_;
        }
        if (Clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling interval, not a fixed wait
    }
}

bool ChildProcess::running() { return exit_code_ < 0 && wait_exit(0) < 0; }

int run_command(const std::vector<std::string>& argv, std::string& output, int timeout_ms) {
    TempDir dir("till-cmd");
    std::string log = dir.file("out.txt");
    int code;
    {
        ChildProcess child(argv, log);
        code = child.wait_exit(timeout_ms);
    }
    output = read_file(log);
    return code;
}

std::string wait_for_file(const std::string& path, int timeout_ms) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
        std::string content = read_file(path);
        if (!content.empty()) return content;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling interval
    }
    return {};
}

}  // namespace till::test
