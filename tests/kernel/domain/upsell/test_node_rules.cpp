// The rules wired into a running node (issue 4: "hot-reload tests edit files
// on disk under a running node"): a node::Node in-process with
// `rules: {scripts_dir, deployment: cafe}` on a temp copy of scripts/, the
// demo users and catalog loaded by `tillctl demo load`, and the event stream
// read over a real WebSocket. Rule files are added, edited, broken and
// removed while it runs; /api/v1/node, the suggestions route, the events,
// the log and `tillctl rules status` (a process) show each step.
#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "node/node.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/event_recorder.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using till::sdk::Value;

bool eventually(const std::function<bool()>& ready, int timeout_ms = 15000) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (ready()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void write_text(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    // Write a new file and rename it over the old one, as an editor or a
    // deployment copy would: the watcher never sees half a file.
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    fs::rename(temp, path);
}

using EventStream = till::test::EventRecorder;

struct RulesNode {
    till::test::TempDir dir{"till-rules-node"};
    std::string scripts;  ///< <dir>/scripts, a copy of the source tree's scripts/
    std::unique_ptr<till::node::Node> node;

    explicit RulesNode(bool with_rules = true) {
        scripts = dir.file("scripts");
        fs::copy(fs::path(TILL_SOURCE_DIR) / "scripts", scripts, fs::copy_options::recursive);
        std::string config = std::string("node: {id: rules-node, role: store, data_dir: data, listen: 127.0.0.1:0}\n"
                                         "logging: {level: info, file: node.log}\n"
                                         "plugins:\n  dirs: [\"") +
                             TILL_BUILD_PLUGIN_DIR +
                             "\"]\n  enabled: [order_retail]\n  required: [order_retail]\n"
                             "auth: {pin_kdf_iterations: 1000, token_ttl_s: 3600}\n";
        if (with_rules) config += "rules: {scripts_dir: scripts, deployment: cafe, reload_interval_ms: 50}\n";
        const std::string path = dir.write("node.yaml", config);
        auto started = till::node::Node::start({path, till::config::process_env()});
        INFO((started ? std::string() : started.error().message));
        REQUIRE(started.ok());
        node = std::move(*started);
    }
    int port() const { return node->port(); }
    std::string log() const { return till::test::read_file(dir.file("data/node.log")); }

    Value call(const std::string& method, const std::string& path, const std::string& token,
               const Value& body = Value(), int* status = nullptr) const {
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        auto reply = till::test::http_call(port(), method, path, body.is_null() ? std::string() : body.to_json(),
                                           headers);
        if (status) *status = reply.status;
        auto parsed = Value::parse_json(reply.body);
        return parsed ? *parsed : Value();
    }
    Value rules_status() const { return call("GET", "/api/v1/node", "")["rules"]; }

    /// `tillctl --url <node> ARGS...`: exit code, output in `out`.
    int tillctl(const std::vector<std::string>& args, std::string& out) const {
        std::vector<std::string> argv{std::string(TILL_BIN_DIR) + "/tillctl", "--url", node->base_url()};
        argv.insert(argv.end(), args.begin(), args.end());
        return till::test::run_command(argv, out);
    }
};

bool has_rule_file(const Value& rules, const std::string& file) {
    for (const auto& r : rules["rules"].as_list())
        if (r["file"].as_string() == file) return true;
    return false;
}

/// The top suggestion's SKU; "" when there is none.
std::string first_sku(const Value& answer) {
    const auto& list = answer["suggestions"].as_list();
    return list.empty() ? std::string() : list.front()["sku"].as_string();
}

}  // namespace

TEST_CASE("rules hot-reload under a running node: add, edit, break, remove", "[upsell][node][hot-reload]") {
    RulesNode n;

    // The shipped café version runs and shows in /api/v1/node.
    Value rules = n.rules_status();
    INFO(rules.to_json());
    REQUIRE(rules["enabled"].as_bool());
    CHECK(rules["loaded"].as_bool());
    CHECK(rules["last_reload_error"].as_string().empty());
    CHECK(has_rule_file(rules, "scripts/cafe/upsell/combo.lua"));
    CHECK(has_rule_file(rules, "scripts/cafe/conflict/default.lua"));
    const std::string first_version = rules["version"].as_string();

    // Users and the café catalog, through the API.
    std::string out;
    REQUIRE(n.tillctl({"demo", "load", "--data-dir", n.dir.file("data"), "--catalog-dir",
                       std::string(TILL_SOURCE_DIR) + "/configs/demo"},
                      out) == 0);
    Value login = Value::map();
    login.set("user_name", "alice");
    login.set("pin", "1111");
    login.set("terminal_id", "T1");
    const std::string token = n.call("POST", "/api/v1/auth/login", "", login)["token"].as_string();
    REQUIRE_FALSE(token.empty());
    EventStream events(n.port(), token);

    // A cart with a coffee: the combo offers the first pastry; the change is published.
    int status = 0;
    Value open = Value::map();
    open.set("order_type", "retail");
    Value order = n.call("POST", "/api/v1/orders", token, open, &status);
    REQUIRE(status == 201);
    const std::string id = order["order_id"].as_string();
    const std::string path = "/api/v1/orders/" + id + "/suggestions";
    Value line = Value::map();
    line.set("expected_version", order["version"]);
    line.set("sku", "ESPRESSO");
    order = n.call("POST", "/api/v1/orders/" + id + "/lines", token, line, &status);
    REQUIRE(status == 201);
    Value answer = n.call("GET", path, token, Value(), &status);
    INFO(answer.to_json());
    REQUIRE(status == 200);
    CHECK(first_sku(answer) == "CINNAMON-ROLL");
    CHECK(answer["suggestions"].as_list()[0]["price_minor"].as_int() == 260);
    CHECK(eventually([&] {
        return !events
                    .find("order.suggestions",
                          [&](const Value& p) {
                              return p["order_id"].as_string() == id && p["version"] == order["version"] &&
                                     !p["suggestions"].as_list().empty();
                          })
                    .is_null();
    }));

    // Add a rule: it takes effect without a restart.
    const std::string water = n.scripts + "/cafe/upsell/water.lua";
    write_text(water,
               "function upsell(cart, ctx)\n"
               "  return { { sku = \"WATER\", reason = \"Still water?\", priority = 90 } }\n"
               "end\n");
    REQUIRE(eventually([&] { return first_sku(n.call("GET", path, token)) == "WATER"; }));
    rules = n.rules_status();
    CHECK(has_rule_file(rules, "scripts/cafe/upsell/water.lua"));
    CHECK(rules["reloads"].as_int() >= 1);
    CHECK(rules["version"].as_string() != first_version);
    CHECK(eventually([&] {
        return !events.find("rules.reloaded", [](const Value& p) {
                          for (const auto& r : p["rules"].as_list())
                              if (r["file"].as_string() == "scripts/cafe/upsell/water.lua") return true;
                          return false;
                      }).is_null();
    }));

    // Edit it.
    write_text(water,
               "function upsell(cart, ctx)\n"
               "  return { { sku = \"SPARKLING\", reason = \"Sparkling water?\", priority = 95 } }\n"
               "end\n");
    REQUIRE(eventually([&] { return first_sku(n.call("GET", path, token)) == "SPARKLING"; }));
    const std::string good_version = n.rules_status()["version"].as_string();

    // Break it: refused, the previous version keeps serving, the error is reported.
    write_text(water,
               "function upsell(cart, ctx)\n"
               "  return { { sku = \"BROKEN\", reason = \n"
               "end\n");
    REQUIRE(eventually([&] { return !n.rules_status()["last_reload_error"].as_string().empty(); }));
    rules = n.rules_status();
    CHECK(rules["last_reload_error"].as_string().find("scripts/cafe/upsell/water.lua:3:") != std::string::npos);
    CHECK(rules["version"].as_string() == good_version);
    CHECK(first_sku(n.call("GET", path, token)) == "SPARKLING");
    CHECK(eventually([&] {
        return !events.find("rules.reload_failed", [](const Value& p) {
                          return p["error"].as_string().find("water.lua:3:") != std::string::npos;
                      }).is_null();
    }));
    CHECK(n.log().find("water.lua:3:") != std::string::npos);

    // `tillctl rules status` shows the refusal and every rule.
    REQUIRE(n.tillctl({"rules", "status"}, out) == 0);
    INFO(out);
    CHECK(out.find("REFUSED") != std::string::npos);
    CHECK(out.find("water.lua:3:") != std::string::npos);
    CHECK(out.find("scripts/cafe/upsell/combo.lua") != std::string::npos);
    CHECK(out.find("enabled") != std::string::npos);
    CHECK(out.find(good_version) != std::string::npos);
    REQUIRE(n.tillctl({"rules", "status", "--json"}, out) == 0);
    auto as_json = Value::parse_json(out);
    REQUIRE(as_json.ok());
    CHECK((*as_json)["version"].as_string() == good_version);

    // Remove it: the café rules alone again, and the error is cleared.
    fs::remove(water);
    REQUIRE(eventually([&] { return !has_rule_file(n.rules_status(), "scripts/cafe/upsell/water.lua"); }));
    rules = n.rules_status();
    CHECK(rules["last_reload_error"].as_string().empty());
    CHECK(first_sku(n.call("GET", path, token)) == "CINNAMON-ROLL");
}

TEST_CASE("a rule that keeps failing on a node is disabled and shown as such", "[upsell][node]") {
    RulesNode n;
    write_text(n.scripts + "/cafe/upsell/bad.lua",
               "function upsell(cart, ctx)\n"
               "  return { { sku = cart.no_such_field.sku, reason = \"x\" } }\n"
               "end\n");
    REQUIRE(eventually([&] { return has_rule_file(n.rules_status(), "scripts/cafe/upsell/bad.lua"); }));
    std::string out;
    REQUIRE(n.tillctl({"demo", "load", "--data-dir", n.dir.file("data"), "--catalog-dir",
                       std::string(TILL_SOURCE_DIR) + "/configs/demo"},
                      out) == 0);
    Value login = Value::map();
    login.set("user_name", "alice");
    login.set("pin", "1111");
    login.set("terminal_id", "T1");
    const std::string token = n.call("POST", "/api/v1/auth/login", "", login)["token"].as_string();
    Value open = Value::map();
    open.set("order_type", "retail");
    const std::string id = n.call("POST", "/api/v1/orders", token, open)["order_id"].as_string();
    int status = 0;
    for (int i = 0; i < 3; ++i) {
        Value answer = n.call("GET", "/api/v1/orders/" + id + "/suggestions", token, Value(), &status);
        CHECK(status == 200);  // the failing rule never fails the route
    }
    Value bad;
    const Value status_now = n.rules_status();
    INFO(status_now.to_json());
    for (const auto& r : status_now["rules"].as_list())
        if (r["file"].as_string() == "scripts/cafe/upsell/bad.lua") bad = r;
    CHECK(bad["state"].as_string() == "disabled");
    CHECK(bad["consecutive_failures"].as_int() >= 3);
    CHECK(bad["last_error"].as_string().find("scripts/cafe/upsell/bad.lua:2:") != std::string::npos);

    REQUIRE(n.tillctl({"rules", "status"}, out) == 0);
    INFO(out);
    CHECK(out.find("disabled") != std::string::npos);
    CHECK(out.find("bad.lua:2:") != std::string::npos);
}

TEST_CASE("a node without rules says so in /api/v1/node and tillctl rules status", "[upsell][node]") {
    RulesNode n(false);
    CHECK(n.rules_status() == Value(Value::Map{{"enabled", false}}));
    std::string out;
    REQUIRE(n.tillctl({"rules", "status"}, out) == 0);
    CHECK(out.find("no rules") != std::string::npos);
}

TEST_CASE("tillctl rules status fails cleanly when no node answers", "[upsell][node]") {
    std::string out;
    const int port = till::test::free_loopback_port();
    int code = till::test::run_command({std::string(TILL_BIN_DIR) + "/tillctl", "--url",
                                        "http://127.0.0.1:" + std::to_string(port), "rules", "status"},
                                       out);
    CHECK(code == 1);
    CHECK_FALSE(out.empty());
}
