#include "app/tillctl_demo.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/tillctl_http.hpp"
#include "till/sdk/value.hpp"

namespace till::ctl {
namespace {

struct DemoUser {
    const char* name;
    const char* display_name;
    const char* role;
    const char* pin;
};

// The demo's people: printed at start so anyone can try every role.
const DemoUser kUsers[] = {{"alice", "Alice", "cashier", "1111"},
                           {"bob", "Bob", "supervisor", "2222"},
                           {"carol", "Carol", "manager", "3333"}};

bool read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return true;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

int fail(const std::string& message) {
    std::cerr << "tillctl demo: " << message << "\n";
    return 1;
}

int usage() {
    std::cerr << "usage: tillctl [--url URL] demo load --data-dir DIR [--catalog-dir DIR]\n"
                 "  DIR: the node's data dir (its auth/initial-admin-pin logs the admin in);\n"
                 "  --catalog-dir: holds catalog-setup.json and catalog.csv (default configs/demo)\n";
    return 2;
}

}  // namespace

int run_demo_command(const std::string& base_url, const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "load") return usage();
    std::string data_dir;
    std::string catalog_dir = "configs/demo";
    for (std::size_t i = 1; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) return usage();
        if (args[i] == "--data-dir")
            data_dir = args[i + 1];
        else if (args[i] == "--catalog-dir")
            catalog_dir = args[i + 1];
        else
            return usage();
    }
    if (data_dir.empty()) return usage();

    std::string pin;
    const std::string pin_file = data_dir + "/auth/initial-admin-pin";
    if (!read_text(pin_file, pin)) return fail("cannot read " + pin_file + " (is this the node's data dir?)");
    sdk::Value login = sdk::Value::map();
    login.set("user_name", "admin");
    login.set("pin", trimmed(pin));
    login.set("terminal_id", "demo-setup");
    auto logged = http_call(base_url, "POST", "/api/v1/auth/login", login.to_json());
    if (!logged) return fail(logged.error().message);
    if (logged->status != 200) return fail("admin login answered " + std::to_string(logged->status) + ": " + logged->body);
    auto session = sdk::Value::parse_json(logged->body);
    if (!session) return fail("admin login answered something that is not JSON");
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + (*session)["token"].as_string()}};

    // Users: 409 means a user of that name exists (a second run): keep it.
    for (const auto& u : kUsers) {
        sdk::Value body = sdk::Value::map();
        body.set("name", u.name);
        body.set("display_name", u.display_name);
        body.set("role", u.role);
        body.set("pin", u.pin);
        auto made = http_call(base_url, "POST", "/api/v1/users", body.to_json(), auth);
        if (!made) return fail(made.error().message);
        if (made->status != 201 && made->status != 409)
            return fail(std::string("creating user ") + u.name + " answered " + std::to_string(made->status) + ": " +
                        made->body);
    }

    std::string setup_text;
    const std::string setup_file = catalog_dir + "/catalog-setup.json";
    if (!read_text(setup_file, setup_text)) return fail("cannot read " + setup_file);
    auto setup = sdk::Value::parse_json(setup_text);
    if (!setup) return fail(setup_file + ": " + setup.error().message);
    int created = 0;
    for (const auto& request : (*setup)["requests"].as_list()) {
        auto sent = http_call(base_url, request["method"].as_string("POST"), request["path"].as_string(),
                              request["body"].to_json(), auth);
        if (!sent) return fail(sent.error().message);
        if (sent->status == 409) continue;  // loaded by an earlier run
        if (sent->status / 100 != 2)
            return fail(request["path"].as_string() + " answered " + std::to_string(sent->status) + ": " + sent->body);
        ++created;
    }
    std::string csv;
    const std::string csv_file = catalog_dir + "/catalog.csv";
    if (!read_text(csv_file, csv)) return fail("cannot read " + csv_file);
    auto imported = http_call(base_url, "POST", "/api/v1/catalog/import", csv,
                              {{"Authorization", auth.at("Authorization")}, {"Content-Type", "text/csv"}});
    if (!imported) return fail(imported.error().message);
    if (imported->status / 100 != 2)
        return fail("catalog import answered " + std::to_string(imported->status) + ": " + imported->body);

    std::cout << "demo data loaded: " << created << " catalog setup records, catalog.csv imported\n"
              << "demo users (log in at a terminal with name and PIN):\n";
    for (const auto& u : kUsers) std::cout << "  " << u.name << "  PIN " << u.pin << "  (" << u.role << ")\n";
    std::cout << "  admin  PIN in " << pin_file << "\n";
    return 0;
}

}  // namespace till::ctl
