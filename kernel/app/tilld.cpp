// tilld: one Till node (store or HQ), configured by one YAML file.
//
//   tilld --config configs/store.yaml [--port-file PATH]
//
// Exits 0 after SIGTERM/SIGINT and a clean stop, 2 for an invalid config,
// 1 for any other start failure.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "node/node.hpp"

namespace {

void usage(std::ostream& out) {
    out << "usage: tilld --config FILE [--port-file PATH]\n"
           "  --config FILE     node configuration (see docs/configuration.md)\n"
           "  --port-file PATH  write the bound HTTP port there once serving\n"
           "  --version         print the version and exit\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    std::string port_file;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if ((arg == "--config" || arg == "-c") && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg == "--port-file" && i + 1 < argc) {
            port_file = argv[++i];
        } else if (arg == "--version") {
            std::cout << "tilld " << till::node::kernel_version() << "\n";
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            usage(std::cout);
            return 0;
        } else {
            std::cerr << "tilld: unknown argument " << arg << "\n";
            usage(std::cerr);
            return 2;
        }
    }
    if (config_path.empty()) {
        usage(std::cerr);
        return 2;
    }

    // Block the stop signals before any thread starts, so every thread
    // inherits the mask and only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    till::node::NodeOptions options;
    options.config_path = config_path;
    // A testing aid (docs/sync.md, clock skew): run with a wall clock that is off.
    if (const char* offset = std::getenv("TILL_CLOCK_OFFSET_MS"); offset != nullptr && *offset != '\0') {
        char* end = nullptr;
        const long long value = std::strtoll(offset, &end, 10);
        if (end == nullptr || *end != '\0') {
            std::cerr << "tilld: TILL_CLOCK_OFFSET_MS must be an integer number of milliseconds\n";
            return 2;
        }
        options.clock_offset_ms = value;
    }
    auto started = till::node::Node::start(options);
    if (!started) {
        const auto& error = started.error();
        if (error.code == "invalid_config") {
            std::cerr << error.message << "\ntilld: " << config_path << " is invalid; not starting\n";
            return 2;
        }
        std::cerr << "tilld: cannot start: " << error.message << "\n";
        return 1;
    }
    auto& node = *started;
    if (!port_file.empty()) {
        std::string tmp = port_file + ".tmp";
        {
            std::ofstream out(tmp, std::ios::trunc);
            out << node->port() << "\n";
        }
        std::rename(tmp.c_str(), port_file.c_str());  // readers never see a half-written file
    }
    std::cout << "tilld: node " << node->info().node_id << " ("
              << (node->info().role == till::sdk::NodeRole::hq ? "hq" : "store") << ") listening on "
              << node->base_url() << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    std::cout << "tilld: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << " received, stopping" << std::endl;
    node->stop();
    node.reset();
    std::cout << "tilld: stopped" << std::endl;
    return 0;
}
