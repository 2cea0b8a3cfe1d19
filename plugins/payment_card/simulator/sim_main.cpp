// till-card-terminal-sim: a card terminal for tests and demos, speaking
// PROTOCOL.md with deterministic test cards (README.md, "The simulator").
//
//   till-card-terminal-sim [--host 127.0.0.1] [--port 0] [--port-file F] [--state-file F]
//
// Stops on SIGTERM or SIGINT. Never sees a real card.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "sim_server.hpp"
#include "sim_terminal.hpp"

namespace {

int usage(const char* why) {
    if (why) std::cerr << "till-card-terminal-sim: " << why << "\n";
    std::cerr << "usage: till-card-terminal-sim [--host 127.0.0.1] [--port N] [--port-file FILE] [--state-file FILE]\n"
                 "  --port 0 (default) picks a free port; --port-file writes it once listening.\n"
                 "  --state-file keeps outcomes by key across restarts (default: memory only).\n";
    return why ? 2 : 0;
}

bool write_port_file(const std::string& path, int port) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!(out << port << "\n")) return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    return !ec;
}

}  // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1", port_file, state_file;
    int port = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (arg == "--help" || arg == "-h") return usage(nullptr);
        if (arg == "--host") {
            if (!value(host)) return usage("--host needs a value");
        } else if (arg == "--port") {
            if (!value(v)) return usage("--port needs a value");
            try {
                port = std::stoi(v);
            } catch (...) {
                return usage("--port: not a number");
            }
            if (port < 0 || port > 65535) return usage("--port: out of range");
        } else if (arg == "--port-file") {
            if (!value(port_file)) return usage("--port-file needs a value");
        } else if (arg == "--state-file") {
            if (!value(state_file)) return usage("--state-file needs a value");
        } else {
            return usage(("unknown argument " + arg).c_str());
        }
    }

    // Signals go to a thread of their own, which stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    till::payment_card::sim::Terminal terminal(state_file);
    if (auto s = terminal.load(); !s.ok()) {
        std::cerr << "till-card-terminal-sim: " << s.message() << "\n";
        return 1;
    }
    till::payment_card::sim::Server server(terminal);
    if (auto s = server.listen(host, port); !s.ok()) {
        std::cerr << "till-card-terminal-sim: " << s.message() << "\n";
        return 1;
    }
    std::cout << "till-card-terminal-sim listening on " << host << ":" << server.port() << std::endl;
    if (!port_file.empty() && !write_port_file(port_file, server.port())) {
        std::cerr << "till-card-terminal-sim: cannot write " << port_file << "\n";
        return 1;
    }
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        server.stop();
    });
    server.run();
    // Wakes the waiter if run() ended for another reason than a signal (a
    // pending blocked signal is harmless: the process exits next).
    ::kill(::getpid(), SIGTERM);
    waiter.join();
    std::cout << "till-card-terminal-sim stopped" << std::endl;
    return 0;
}
