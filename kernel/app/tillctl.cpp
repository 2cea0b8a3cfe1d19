// tillctl: the admin command line for Till nodes.
//
//   tillctl [--url URL] plugins            plugins of a running node and their states
//   tillctl [--url URL] node               the node's description as JSON
//   tillctl plugins schema --config FILE   config schemas of the plugins a config finds
//   tillctl plugins schema --dir DIR...    same, for plugin directories
//   tillctl config check FILE              validate a node config without starting it
//   tillctl audit verify --config FILE     check the audit log's hash chain in the node's database
//   tillctl rules check|test|run DIR ...   merchant tools for Lua rules (offline; docs/rules.md)
//   tillctl demo load --data-dir DIR       demo users and catalog for a fresh store node
//   tillctl config schema                  print the kernel's config reference (Markdown)
//   tillctl hq token issue|revoke STORE --config FILE, hq token list, hq stores   HQ sync admin
//   tillctl [--url URL] sync status|push|pull   the store's sync engine (docs/sync.md)
//
// URL defaults to $TILL_URL, else http://127.0.0.1:8080. Exit codes: 0 ok,
// 1 failure (node unreachable, ...), 2 usage error or invalid config.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "app/tillctl_audit.hpp"
#include "app/tillctl_demo.hpp"
#include "app/tillctl_hq.hpp"
#include "app/tillctl_rules.hpp"
#include "app/tillctl_receipts.hpp"
#include "app/tillctl_sync.hpp"
#include "app/tillctl_http.hpp"
#include "config/node_config.hpp"
#include "config/schema.hpp"
#include "node/config_check.hpp"
#include "node/node.hpp"
#include "plugin_host/discovery.hpp"
#include "till/sdk/value.hpp"

namespace {

using till::sdk::Value;

int usage(std::ostream& out, int code) {
    out << "usage:\n"
           "  tillctl [--url URL] plugins              list a running node's plugins\n"
           "  tillctl [--url URL] node                 print the node's description (JSON)\n"
           "  tillctl plugins schema --config FILE     print plugin config schemas (markdown)\n"
           "  tillctl plugins schema --dir DIR [...]   same, from plugin directories\n"
           "  tillctl config check FILE                validate a node config\n"
           "  tillctl audit verify --config FILE       check the audit log's hash chain (exit 1 when broken)\n"
           "  tillctl rules check DIR                  compile, lint and contract-check Lua rules\n"
           "  tillctl rules test DIR --cases FILE.yaml run rule fixture cases (exit 1 on failure)\n"
           "  tillctl rules run DIR --cart FILE.json   dry-run upsell rules on a cart\n"
           "  tillctl [--url URL] rules status         the rules of a running node: state, failures, errors\n"
           "  tillctl receipts check DIR               check receipt templates (file:line:col for each problem)\n"
           "  tillctl receipts render DIR KIND --data FILE.json  a template rendered as text\n"
           "  tillctl [--url URL] demo load --data-dir DIR  demo users and catalog on a fresh store node\n"
           "  tillctl config schema                    print the kernel config reference (Markdown)\n"
           "  tillctl hq token issue STORE --config FILE   new sync token for a store (printed once)\n"
           "  tillctl hq token revoke STORE --config FILE  revoke a store's sync tokens\n"
           "  tillctl hq token list --config FILE [--json] sync tokens issued by this HQ\n"
           "  tillctl hq stores --config FILE [--json]     HQ's stores and what each last sent\n"
           "  tillctl [--url URL] sync status [--json] [--token JWT | --user NAME --pin PIN | --data-dir DIR]\n"
           "                                           the store's sync state, queue, cursors\n"
           "  tillctl [--url URL] sync push|pull ...   push or pull now (sync.manage), then the status\n"
           "  tillctl version\n"
           "URL defaults to $TILL_URL, else http://127.0.0.1:8080\n";
    return code;
}

std::string default_url() {
    const char* env = std::getenv("TILL_URL");
    return env && *env ? env : "http://127.0.0.1:8080";
}

till::sdk::Result<Value> fetch_node(const std::string& url) {
    auto answer = till::ctl::http_get(url, "/api/v1/node");
    if (!answer) return answer.error();
    if (answer->status != 200)
        return till::sdk::Error{"http_error", url + "/api/v1/node answered " + std::to_string(answer->status)};
    return Value::parse_json(answer->body);
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i + 1 == row.size()) std::cout << row[i];
            else std::cout << std::left << std::setw(static_cast<int>(widths[i]) + 2) << row[i];
        }
        std::cout << "\n";
    }
}

int cmd_plugins(const std::string& url) {
    auto node = fetch_node(url);
    if (!node) {
        std::cerr << "tillctl: " << node.error().message << "\n";
        return 1;
    }
    std::vector<std::vector<std::string>> rows{{"ID", "VERSION", "KINDS", "STATE", "REASON"}};
    for (const auto& p : (*node)["plugins"].as_list()) {
        std::string kinds;
        for (const auto& k : p["kinds"].as_list()) kinds += (kinds.empty() ? "" : ",") + k.as_string();
        rows.push_back({p["id"].as_string(), p["version"].as_string(), kinds, p["state"].as_string(),
                        p["reason"].as_string()});
    }
    print_table(rows);
    return 0;
}

int cmd_node(const std::string& url) {
    auto node = fetch_node(url);
    if (!node) {
        std::cerr << "tillctl: " << node.error().message << "\n";
        return 1;
    }
    std::cout << node->to_json() << "\n";
    return 0;
}

int cmd_schema(const std::vector<std::string>& args) {
    std::vector<std::string> dirs;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) {
            auto load = till::config::load_node_config(args[++i], till::config::process_env());
            if (!load.diagnostics.empty()) {
                for (const auto& d : load.diagnostics) std::cerr << d.to_string() << "\n";
                return 2;
            }
            for (const auto& d : load.config.plugins.dirs) dirs.push_back(d);
        } else if (args[i] == "--dir" && i + 1 < args.size()) {
            dirs.push_back(args[++i]);
        } else {
            return usage(std::cerr, 2);
        }
    }
    if (dirs.empty()) return usage(std::cerr, 2);
    auto found = till::plugin_host::discover_plugins(dirs);
    int status = 0;
    for (const auto& c : found.candidates) {
        if (!c.manifest_ok) {
            std::cerr << "tillctl: " << c.id << ": " << c.problem << "\n";
            status = 1;
            continue;
        }
        const auto& m = c.manifest;
        std::cout << "## " << m.id << " " << m.version.to_string() << " (" << m.status << ")\n\n"
                  << m.description << "\n\n";
        if (m.config_schema.empty()) std::cout << "No configuration keys.\n\n";
        else std::cout << till::config::schema_markdown(m.config_schema, m.id) << "\n";
    }
    return status;
}

int cmd_config_check(const std::string& path) {
    auto checked = till::node::check_node_config(path, till::config::process_env());
    for (const auto& w : checked.discovery.warnings) std::cerr << "warning: " << w << "\n";
    if (!checked.diagnostics.empty()) {
        for (const auto& d : checked.diagnostics) std::cerr << d.to_string() << "\n";
        std::cerr << path << ": " << checked.diagnostics.size() << " problem(s)\n";
        return 2;
    }
    int broken = 0;
    std::string ids;
    for (const auto& c : checked.discovery.candidates) {
        if (!c.manifest_ok) {
            std::cerr << "warning: plugin " << c.id << " will not load: " << c.problem << "\n";
            ++broken;
        }
        ids += (ids.empty() ? "" : ", ") + c.id;
    }
    const auto& cfg = checked.config;
    std::cout << path << ": ok — node " << cfg.node_id << " (" << (cfg.role == till::sdk::NodeRole::hq ? "hq" : "store")
              << "), " << checked.discovery.candidates.size() << " plugin(s) found"
              << (ids.empty() ? "" : ": " + ids) << (broken ? ", " + std::to_string(broken) + " broken" : "") << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string url = default_url();
    if (args.size() >= 2 && args[0] == "--url") {
        url = args[1];
        args.erase(args.begin(), args.begin() + 2);
    }
    if (args.empty()) return usage(std::cerr, 2);
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") return usage(std::cout, 0);
    if (args[0] == "version") {
        std::cout << "tillctl " << till::node::kernel_version() << "\n";
        return 0;
    }
    if (args[0] == "node" && args.size() == 1) return cmd_node(url);
    if (args[0] == "plugins") {
        if (args.size() == 1) return cmd_plugins(url);
        if (args[1] == "schema") return cmd_schema({args.begin() + 2, args.end()});
        return usage(std::cerr, 2);
    }
    if (args[0] == "audit") return till::ctl::run_audit_command({args.begin() + 1, args.end()});
    if (args[0] == "hq") return till::ctl::run_hq_command({args.begin() + 1, args.end()});
    if (args[0] == "rules") return till::ctl::run_rules_command(url, {args.begin() + 1, args.end()});
    if (args[0] == "receipts") return till::ctl::run_receipts_command({args.begin() + 1, args.end()});
    if (args[0] == "sync") return till::ctl::run_sync_command(url, {args.begin() + 1, args.end()});
    if (args[0] == "demo") return till::ctl::run_demo_command(url, {args.begin() + 1, args.end()});
    if (args[0] == "config" && args.size() == 3 && args[1] == "check") return cmd_config_check(args[2]);
    if (args[0] == "config" && args.size() == 2 && args[1] == "schema") {
        std::cout << till::config::schema_markdown(till::config::kernel_schema(), "");
        return 0;
    }
    return usage(std::cerr, 2);
}
