// A tilld process on a temp config, port 0, stopped with SIGTERM.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "till/sdk/value.hpp"
#include "support/temp_dir.hpp"

namespace till::test {

inline std::string bin(const std::string& name) { return std::string(TILL_BIN_DIR) + "/" + name; }

inline void copy_fixture(const TempDir& dir, const std::string& id) {
    namespace fs = std::filesystem;
    fs::create_directories(dir.file("plugins"));
    fs::copy(fs::path(TILL_FIXTURE_PLUGIN_DIR) / id, fs::path(dir.file("plugins")) / id,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

inline std::string node_config(const std::string& extra = {}) {
    return "node:\n  id: proc-node\n  role: store\n  data_dir: data\n  listen: 127.0.0.1:0\n"
           "plugins:\n  dirs: [plugins]\n" +
           extra;
}

struct NodeProcess {
    std::unique_ptr<ChildProcess> process;
    int port = 0;
    std::string log;

    NodeProcess(const TempDir& dir, const std::string& config_name) {
        log = dir.file("tilld.out");
        std::string port_file = dir.file("port");
        process = std::make_unique<ChildProcess>(
            std::vector<std::string>{bin("tilld"), "--config", dir.file(config_name), "--port-file", port_file}, log);
        std::string text = wait_for_file(port_file, 30000);
        if (!text.empty()) port = std::stoi(text);
    }
};

/// Logs in as the bootstrap admin of a node whose data dir is `data_dir`
/// (its PIN is in <data_dir>/auth/initial-admin-pin) at terminal
/// `terminal_id`; returns the bearer token, "" when the login failed.
inline std::string login_admin(int port, const std::string& data_dir, const std::string& terminal_id = "T1") {
    std::string pin = read_file(data_dir + "/auth/initial-admin-pin");
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
    sdk::Value body = sdk::Value::map();
    body.set("user_name", "admin");
    body.set("pin", pin);
    body.set("terminal_id", terminal_id);
    auto reply = http_request(port, "POST", "/api/v1/auth/login", body.to_json());
    if (reply.status != 200) return {};
    auto parsed = sdk::Value::parse_json(reply.body);
    return parsed ? (*parsed)["token"].as_string() : std::string();
}

}  // namespace till::test
