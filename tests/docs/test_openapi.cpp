// docs/api/openapi.yaml against the code, both ways:
//  - every documented path + method answers on a live node (not 404/405);
//  - every route registered in kernel/ or plugins/ sources is documented;
//  - the documented /api/v1/node schema has exactly the keys the node sends.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "config/schema.hpp"
#include "node/node.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

const std::string kOpenApiPath = std::string(TILL_SOURCE_DIR) + "/docs/api/openapi.yaml";

struct Route {
    std::string method;  ///< upper case: GET, POST, ...
    std::string path;    ///< as written, with {name} placeholders
    bool operator<(const Route& o) const { return std::tie(path, method) < std::tie(o.path, o.method); }
};

std::string text_of(const Route& r) { return r.method + " " + r.path; }

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

YAML::Node load_openapi() {
    // A broken file fails the test with yaml-cpp's line and column.
    return YAML::LoadFile(kOpenApiPath);
}

/// Operations marked `x-till-node: hq` are served by HQ nodes only.
std::set<Route> hq_only_routes(const YAML::Node& doc) {
    static const std::set<std::string> methods = {"get", "put", "post", "delete", "patch"};
    std::set<Route> out;
    for (const auto& path : doc["paths"])
        for (const auto& item : path.second) {
            const std::string key = item.first.as<std::string>();
            if (methods.count(key) && item.second["x-till-node"] &&
                item.second["x-till-node"].as<std::string>() == "hq")
                out.insert({upper(key), path.first.as<std::string>()});
        }
    return out;
}

std::set<Route> documented_routes(const YAML::Node& doc) {
    static const std::set<std::string> methods = {"get", "put", "post", "delete", "patch", "head", "options"};
    std::set<Route> out;
    for (const auto& path : doc["paths"]) {
        for (const auto& item : path.second) {
            const std::string key = item.first.as<std::string>();
            if (methods.count(key)) out.insert({upper(key), path.first.as<std::string>()});
        }
    }
    return out;
}

// Routes as the sources register them: router.add(sdk::HttpMethod::get, "/x", ...),
// registrar.add_route(HttpMethod::post, "/y", ...) — the call may span lines.
std::set<Route> registered_routes_in_sources() {
    static const std::regex pattern(R"(HttpMethod::(get|post|put|patch|del)\s*,\s*"(/[^"]*)\")");
    static const std::map<std::string, std::string> names = {
        {"get", "GET"}, {"post", "POST"}, {"put", "PUT"}, {"patch", "PATCH"}, {"del", "DELETE"}};
    std::set<Route> out;
    for (const char* top : {"kernel", "plugins", "hq-plugins"}) {
        const fs::path root = fs::path(TILL_SOURCE_DIR) / top;
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
            const std::string text = till::test::read_file(entry.path().string());
            for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
                // A path built from a prefix ("/sessions" after a base) is
                // covered by the live-route test above, not by this scan.
                const std::string path = (*it)[2].str();
                if (path.rfind("/api/", 0) != 0 && path != "/healthz") continue;
                out.insert({names.at((*it)[1].str()), path});
            }
        }
    }
    return out;
}

// A concrete path for a documented one: {device_id} is the printer_file
// device of the test node; any other placeholder gets an unknown id.
std::string concrete_path(const std::string& path) {
    static const std::map<std::string, std::string> samples = {{"device_id", "file-printer"}};
    std::string out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        const auto open = path.find('{', pos);
        if (open == std::string::npos) {
            out += path.substr(pos);
            break;
        }
        const auto close = path.find('}', open);
        const std::string name = path.substr(open + 1, close - open - 1);
        // Other ids get a well-formed id nobody has: the route must still be found
        // (answering 401, 404 for the resource, 422, ... but never "no route").
        auto it = samples.find(name);
        const std::string sample = it == samples.end() ? "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d" : it->second;
        out += path.substr(pos, open - pos) + sample;
        pos = close + 1;
    }
    return out;
}

std::set<std::string> required_keys(const YAML::Node& schema) {
    std::set<std::string> out;
    for (const auto& key : schema["required"]) out.insert(key.as<std::string>());
    return out;
}

std::set<std::string> property_keys(const YAML::Node& schema) {
    std::set<std::string> out;
    for (const auto& property : schema["properties"]) out.insert(property.first.as<std::string>());
    return out;
}

std::set<std::string> keys_of(const till::sdk::Value& map) {
    std::set<std::string> out;
    for (const auto& [key, value] : map.as_map()) out.insert(key);
    return out;
}

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// A node with every bundled plugin from the build's plugin folder (a store),
// or an HQ node on SQLite with its kernel routes.
struct LiveNode {
    till::test::TempDir dir{"till-docs"};
    std::unique_ptr<till::node::Node> node;

    explicit LiveNode(const std::string& role = "store") {
        const std::string config = dir.write(
            "node.yaml", std::string("node: {id: docs, role: ") + role +
                             ", data_dir: data, listen: 127.0.0.1:0}\n"
                             "logging: {level: warn}\n"
                             "plugins: {dirs: [" +
                             (role == "store" ? std::string(TILL_BUILD_PLUGIN_DIR)
                                              : std::string(TILL_BUILD_HQ_PLUGIN_DIR)) +
                             "]}\n"
                             // Devices need an address to start (nothing is opened: no terminal uses them).
                             + (role == "store" ? "payment_card: {port: 9}\nscanner_hid: {path: /dev/null}\n"
                                                  "scanner_serial: {source: tcp}\n"
                                                : "hq_sync: {listen: \"127.0.0.1:0\"}\n"));
        auto started = till::node::Node::start({config, till::config::process_env()});
        INFO((started ? std::string() : started.error().message));
        REQUIRE(started.ok());
        node = std::move(*started);
        for (const auto& p : node->plugins()) {
            INFO("plugin " << p.id << " is " << till::plugin_host::state_name(p.state) << ": " << p.reason);
            CHECK(p.state == till::plugin_host::PluginState::running);
        }
    }
};

}  // namespace

TEST_CASE("every path and method in openapi.yaml answers on a live node", "[docs][openapi]") {
    const auto doc = load_openapi();
    const auto documented = documented_routes(doc);
    const auto hq_only = hq_only_routes(doc);
    REQUIRE_FALSE(documented.empty());
    REQUIRE_FALSE(hq_only.empty());
    LiveNode live;
    LiveNode hq("hq");
    for (const auto& route : documented) {
        if (hq_only.count(route)) {
            const auto reply = till::test::http_request(hq.node->port(), route.method, concrete_path(route.path));
            INFO(text_of(route) << " (HQ) answered " << reply.status << " " << reply.body);
            CHECK(reply.body.find("no route for") == std::string::npos);
            CHECK(reply.status != 405);
            continue;
        }
        // A plain request, no WebSocket upgrade: /api/v1/events answers 400.
        const auto reply = till::test::http_request(live.node->port(), route.method, concrete_path(route.path));
        INFO(text_of(route) << " answered " << reply.status << " " << reply.body);
        // A 404 for a missing resource is fine; "no route" is not.
        CHECK(reply.body.find("no route for") == std::string::npos);
        CHECK(reply.status != 405);
    }
}

TEST_CASE("every route a live node serves is in openapi.yaml", "[docs][openapi]") {
    const auto documented = documented_routes(load_openapi());
    LiveNode live;
    LiveNode hq("hq");
    std::string missing;
    for (const auto* n : {&live, &hq})
        for (const auto& info : n->node->routes()) {
            Route route{till::api::method_name(info.method), info.pattern};
            if (!documented.count(route)) missing += "\n  " + text_of(route) + " (" + info.owner + ")";
        }
    INFO("routes served but missing from " << kOpenApiPath << ":" << missing);
    CHECK(missing.empty());
}

TEST_CASE("every route registered in kernel/ and plugins/ is in openapi.yaml", "[docs][openapi]") {
    const auto documented = documented_routes(load_openapi());
    const auto registered = registered_routes_in_sources();
    // The scan itself must see the kernel's routes, or the regex is stale.
    REQUIRE(registered.count({"GET", "/healthz"}) == 1);
    REQUIRE(registered.count({"GET", "/api/v1/node"}) == 1);
    std::string missing;
    for (const auto& route : registered)
        if (!documented.count(route)) missing += "\n  " + text_of(route);
    INFO("routes registered in the sources but missing from " << kOpenApiPath << ":" << missing);
    CHECK(missing.empty());
}

TEST_CASE("the documented /api/v1/node schema matches what the node sends", "[docs][openapi]") {
    const YAML::Node doc = load_openapi();
    const YAML::Node schemas = doc["components"]["schemas"];
    REQUIRE(schemas["Node"]);
    REQUIRE(schemas["PluginStatus"]);
    LiveNode live;
    const auto reply = till::test::http_get(live.node->port(), "/api/v1/node");
    REQUIRE(reply.status == 200);
    auto parsed = till::sdk::Value::parse_json(reply.body);
    REQUIRE(parsed.ok());
    const till::sdk::Value& node = *parsed;

    const YAML::Node node_schema = schemas["Node"];
    INFO("Node keys sent: " << joined(keys_of(node)));
    CHECK(keys_of(node) == required_keys(node_schema));
    CHECK(keys_of(node) == property_keys(node_schema));
    const YAML::Node storage_schema = node_schema["properties"]["storage"];
    CHECK(keys_of(node["storage"]) == required_keys(storage_schema));
    CHECK(keys_of(node["storage"]) == property_keys(storage_schema));

    REQUIRE_FALSE(node["plugins"].as_list().empty());
    const YAML::Node plugin_schema = schemas["PluginStatus"];
    for (const auto& plugin : node["plugins"].as_list()) {
        INFO("plugin keys sent: " << joined(keys_of(plugin)));
        CHECK(keys_of(plugin) == required_keys(plugin_schema));
        CHECK(keys_of(plugin) == property_keys(plugin_schema));
    }

    // The state enum is exactly the kernel's states.
    std::set<std::string> states;
    for (auto s : {till::plugin_host::PluginState::discovered, till::plugin_host::PluginState::disabled,
                   till::plugin_host::PluginState::incompatible, till::plugin_host::PluginState::failed_to_load,
                   till::plugin_host::PluginState::failed_to_start, till::plugin_host::PluginState::running,
                   till::plugin_host::PluginState::stopped})
        states.insert(till::plugin_host::state_name(s));
    std::set<std::string> documented_states;
    for (const auto& s : plugin_schema["properties"]["state"]["enum"]) documented_states.insert(s.as<std::string>());
    CHECK(documented_states == states);
}

TEST_CASE("openapi.yaml's Problem schema matches the problems the node sends", "[docs][openapi]") {
    const YAML::Node problem = load_openapi()["components"]["schemas"]["Problem"];
    REQUIRE(problem);
    LiveNode live;
    const auto reply = till::test::http_get(live.node->port(), "/api/v1/no-such-route");
    CHECK(reply.status == 404);
    CHECK(reply.content_type == "application/problem+json");
    auto parsed = till::sdk::Value::parse_json(reply.body);
    REQUIRE(parsed.ok());
    INFO(reply.body);
    CHECK(keys_of(*parsed) == required_keys(problem));
    auto all = required_keys(problem);
    all.insert("errors");
    CHECK(property_keys(problem) == all);
}
