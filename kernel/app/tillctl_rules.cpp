// `tillctl rules check|test|run|status` (see tillctl_rules.hpp and docs/rules.md).
#include "app/tillctl_rules.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/tillctl_http.hpp"
#include "config/config_tree.hpp"
#include "script/cart.hpp"
#include "script/lua_sandbox.hpp"
#include "script/rule_lint.hpp"
#include "script/rule_set.hpp"
#include "script/upsell_runner.hpp"
#include "script/policy_runner.hpp"
#include "till/sdk/value.hpp"

namespace till::ctl {

namespace {

using sdk::Value;
namespace sc = till::script;

int rules_usage(std::ostream& out, int code) {
    out << "usage:\n"
           "  tillctl rules check DIR                    compile, lint and contract-check scripts/<deployment>\n"
           "  tillctl rules test DIR --cases FILE.yaml   run fixture cases; pass/fail table, exit 1 on failure\n"
           "  tillctl rules run DIR --cart FILE.json [--json]   dry run: suggestions and per-rule timing\n"
           "  tillctl [--url URL] rules status [--json]  the rules of a running node (from /api/v1/node)\n";
    return code;
}

// --- check ----------------------------------------------------------------

int cmd_check(const std::string& dir) {
    auto snapshot = sc::read_deployment(dir);
    if (!snapshot) {
        std::cerr << "tillctl: " << snapshot.error().message << "\n";
        return 2;
    }
    int problems = 0;
    std::vector<std::string> upsell_names, policy_names;
    {
        sc::LuaSandbox upsell(sc::SandboxProfile::upsell, {}, {});
        upsell_names = upsell.global_names();
        sc::LuaSandbox policy(sc::SandboxProfile::policy, {}, {});
        policy_names = policy.global_names();
    }
    for (const auto* list : {&snapshot->upsell, &snapshot->conflict, &snapshot->lib}) {
        for (const auto& f : *list) {
            const auto& allowed = f.kind == sc::ScriptKind::conflict ? policy_names : upsell_names;
            for (const auto& finding : sc::lint_script(f.source, allowed)) {
                std::cout << finding.to_string() << "\n";
                ++problems;
            }
        }
    }
    sc::RuleSetOptions options;
    auto set = sc::RuleSet::load(*snapshot, options);
    if (!set) {
        // One line per problem, without the "version refused" header.
        std::istringstream lines(set.error().message);
        std::string line;
        std::getline(lines, line);
        while (std::getline(lines, line)) {
            std::cout << line.substr(line.find_first_not_of(' ')) << "\n";
            ++problems;
        }
    }
    std::size_t files = snapshot->upsell.size() + snapshot->conflict.size() + snapshot->lib.size();
    if (problems) {
        std::cout << dir << ": " << problems << " problem(s) in " << files << " file(s)\n";
        return 1;
    }
    std::cout << dir << ": ok — " << snapshot->upsell.size() << " upsell rule(s), " << snapshot->conflict.size()
              << " conflict polic" << (snapshot->conflict.size() == 1 ? "y" : "ies") << ", " << snapshot->lib.size()
              << " lib module(s)\n";
    return 0;
}

// --- shared: inputs ---------------------------------------------------------

bool is_integer(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;
    std::size_t i = (s[0] == '-') ? 1 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

Value yaml_to_value(const config::ConfigNode& node) {
    switch (node.kind) {
    case config::ConfigNode::Kind::null: return Value();
    case config::ConfigNode::Kind::scalar:
        if (is_integer(node.scalar)) return Value(static_cast<long long>(std::stoll(node.scalar)));
        if (node.scalar == "true") return Value(true);
        if (node.scalar == "false") return Value(false);
        if (node.scalar == "null" || node.scalar == "~") return Value();
        return Value(node.scalar);
    case config::ConfigNode::Kind::sequence: {
        Value list = Value::list();
        for (const auto& item : node.items) list.push_back(yaml_to_value(item));
        return list;
    }
    case config::ConfigNode::Kind::map: {
        Value map = Value::map();
        for (const auto& [key, item] : node.members) map.set(key, yaml_to_value(item));
        return map;
    }
    }
    return Value();
}

std::string text_of(const Value& v) { return v.is_string() ? v.as_string() : v.to_json(); }

// A context from {store_id, time_utc_ms | local_time "HH:MM", utc_offset_minutes, daypart}.
sdk::Result<sc::UpsellContext> context_from(const Value& v, const std::string& where) {
    sc::UpsellContext ctx;
    ctx.store_id = v["store_id"].as_string("store");
    ctx.utc_offset_minutes = static_cast<int>(v["utc_offset_minutes"].as_int(0));
    ctx.daypart = v["daypart"].as_string("");
    ctx.time_utc_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    if (v["time_utc_ms"].is_int()) ctx.time_utc_ms = v["time_utc_ms"].as_int();
    if (const Value* local = v.find("local_time"); local && !local->is_null()) {
        const std::string& t = local->as_string();
        int hh = -1, mm = -1;
        if (t.size() == 5 && t[2] == ':' && is_integer(t.substr(0, 2)) && is_integer(t.substr(3, 2))) {
            hh = std::stoi(t.substr(0, 2));
            mm = std::stoi(t.substr(3, 2));
        }
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
            return sdk::Error{"invalid_context", where + "local_time: expected \"HH:MM\", got " + text_of(*local)};
        // Monday 2026-01-05, local time hh:mm.
        ctx.time_utc_ms = 1767571200000LL + (hh * 60LL + mm) * 60000LL - ctx.utc_offset_minutes * 60000LL;
    }
    return ctx;
}

Value merge_maps(const Value& defaults, const Value& over) {
    Value out = defaults.is_map() ? defaults : Value::map();
    for (const auto& [k, v] : over.as_map()) out.set(k, v);
    return out;
}

sc::RuleSetOptions tool_options() {
    sc::RuleSetOptions options;
    options.max_consecutive_failures = 0;  // never disable while testing
    return options;
}

// --- run ------------------------------------------------------------------

int cmd_run(const std::string& dir, const std::string& cart_path, bool as_json) {
    std::ifstream in(cart_path, std::ios::binary);
    if (!in) {
        std::cerr << "tillctl: " << cart_path << ": cannot read\n";
        return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto doc = Value::parse_json(text.str());
    if (!doc) {
        std::cerr << "tillctl: " << cart_path << ": " << doc.error().message << "\n";
        return 2;
    }
    const Value& cart_v = doc->find("cart") ? (*doc)["cart"] : *doc;
    auto cart = sc::cart_from_value(cart_v);
    if (!cart) {
        std::cerr << "tillctl: " << cart_path << ": " << (doc->find("cart") ? "cart." : "") << cart.error().message
                  << "\n";
        return 2;
    }
    auto catalog = sc::MapCatalog::from_value((*doc)["catalog"]);
    if (!catalog) {
        std::cerr << "tillctl: " << cart_path << ": " << catalog.error().message << "\n";
        return 2;
    }
    auto ctx = context_from((*doc)["context"], "context.");
    if (!ctx) {
        std::cerr << "tillctl: " << cart_path << ": " << ctx.error().message << "\n";
        return 2;
    }
    ctx->catalog = &*catalog;
    auto snapshot = sc::read_deployment(dir);
    if (!snapshot) {
        std::cerr << "tillctl: " << snapshot.error().message << "\n";
        return 2;
    }
    auto set = sc::RuleSet::load(std::move(*snapshot), tool_options());
    if (!set) {
        std::cerr << set.error().message << "\n";
        return 1;
    }
    sc::UpsellRunner runner(*set);
    sc::EvaluateOptions eval;
    eval.measure_time = true;
    runner.evaluate(*cart, *ctx, eval);  // warm-up: the first call pays for the cart's tables
    auto result = runner.evaluate(*cart, *ctx, eval);
    bool failed = false;
    for (const auto& r : result.runs) failed = failed || (r.ran && !r.ok);
    if (as_json) {
        std::cout << result.to_value().to_json() << "\n";
        return failed ? 1 : 0;
    }
    std::cout << "SUGGESTIONS\n";
    if (result.suggestions.empty()) std::cout << "  (none)\n";
    int rank = 1;
    for (const auto& s : result.suggestions) {
        std::cout << "  " << rank++ << ". " << std::left << std::setw(14) << s.sku << " priority " << std::setw(5)
                  << s.priority << " price " << std::setw(8)
                  << (s.price_minor ? std::to_string(*s.price_minor) : std::string("catalog")) << " " << s.reason
                  << "  [" << s.rule << "]\n";
    }
    std::cout << "RULES\n";
    for (const auto& r : result.runs) {
        std::string state = !r.ran ? "skipped" : r.ok ? "ok" : "FAILED";
        std::cout << "  " << std::left << std::setw(44) << r.rule << " " << std::setw(8) << state << std::right
                  << std::setw(7) << (r.elapsed_ns / 1000) << " us " << std::setw(8) << r.instructions
                  << " charged  " << r.suggestions << " suggestion(s)\n";
        if (!r.error.empty()) std::cout << "      " << r.error << "\n";
    }
    for (const auto& p : result.problems) std::cout << "  dropped: " << p << "\n";
    if (!result.printed.empty()) std::cout << "PRINTED\n" << result.printed;
    return failed ? 1 : 0;
}

// --- test -----------------------------------------------------------------

struct CaseOutcome {
    std::string name;
    bool passed = true;
    std::string detail;               ///< one line for the table
    std::vector<std::string> diff;    ///< lines for the diff section
};

std::string sku_list(const std::vector<std::string>& skus) {
    std::string out = "[";
    for (std::size_t i = 0; i < skus.size(); ++i) out += (i ? ", " : "") + skus[i];
    return out + "]";
}

void fail(CaseOutcome& o, const std::string& detail, std::vector<std::string> diff = {}) {
    if (o.passed) o.detail = detail;
    o.passed = false;
    for (auto& d : diff) o.diff.push_back(std::move(d));
}

void check_upsell_case(sc::UpsellRunner& runner, const Value& c, const Value& defaults_ctx, const sc::RuleCatalog* catalog,
                       const std::string& where, CaseOutcome& o) {
    auto cart = sc::cart_from_value(c["cart"]);
    if (!cart) return fail(o, where + "cart." + cart.error().message);
    auto ctx = context_from(merge_maps(defaults_ctx, c["context"]), where + "context.");
    if (!ctx) return fail(o, ctx.error().message);
    ctx->catalog = catalog;
    auto result = runner.evaluate(*cart, *ctx, {});
    std::vector<std::string> actual;
    for (const auto& s : result.suggestions) actual.push_back(s.sku);
    const Value& expect = c["expect"];
    int failed_rules = 0;
    for (const auto& r : result.runs)
        if (r.ran && !r.ok) {
            ++failed_rules;
            o.diff.push_back("rule error: " + r.error);
        }
    for (const auto& p : result.problems) o.diff.push_back("dropped: " + p);
    auto expected_errors = expect["errors"].as_int(0);
    if (failed_rules != expected_errors)
        fail(o, std::to_string(failed_rules) + " rule(s) failed, expected " + std::to_string(expected_errors));
    if (const Value* list = expect.find("suggestions")) {
        std::vector<std::string> expected;
        for (const auto& v : list->as_list()) expected.push_back(text_of(v));
        if (expected != actual)
            fail(o, "suggestions differ", {"- expected: " + sku_list(expected), "+ actual:   " + sku_list(actual)});
    }
    for (const auto& v : expect["includes"].as_list())
        if (std::find(actual.begin(), actual.end(), text_of(v)) == actual.end())
            fail(o, text_of(v) + " not suggested", {"- expected to include: " + text_of(v), "+ actual: " + sku_list(actual)});
    for (const auto& v : expect["excludes"].as_list())
        if (std::find(actual.begin(), actual.end(), text_of(v)) != actual.end())
            fail(o, text_of(v) + " suggested", {"- expected to exclude: " + text_of(v), "+ actual: " + sku_list(actual)});
    for (const auto& [sku, price] : expect["prices"].as_map()) {
        std::string got = "none";
        for (const auto& s : result.suggestions)
            if (s.sku == sku) got = s.price_minor ? std::to_string(*s.price_minor) : "catalog";
        if (got != text_of(price))
            fail(o, "price of " + sku + " differs", {"- expected " + sku + " price_minor: " + text_of(price),
                                                     "+ actual   " + sku + " price_minor: " + got});
    }
}

// Lines of `expected` (a subset) that differ in `actual`, with paths.
void diff_subset(const Value& expected, const Value& actual, const std::string& path, std::vector<std::string>& out) {
    if (expected.is_map() && actual.is_map()) {
        for (const auto& [k, v] : expected.as_map()) diff_subset(v, actual[k], path.empty() ? k : path + "." + k, out);
        return;
    }
    if (expected != actual) {
        out.push_back("- " + path + ": " + expected.to_json());
        out.push_back("+ " + path + ": " + (actual.is_null() && !expected.is_null() ? "(absent)" : actual.to_json()));
    }
}

void check_conflict_case(sc::PolicyRunner& runner, const Value& c, CaseOutcome& o) {
    auto merged = runner.resolve(c["conflict"].as_string(), c["local"], c["remote"], c["base"]);
    const Value& expect = c["expect"];
    if (const Value* err = expect.find("error")) {
        if (merged) return fail(o, "expected an error", {"- error containing: " + text_of(*err), "+ " + merged->to_json()});
        if (merged.error().message.find(text_of(*err)) == std::string::npos)
            fail(o, "different error", {"- error containing: " + text_of(*err), "+ " + merged.error().message});
        return;
    }
    if (!merged) return fail(o, "policy failed", {"+ " + merged.error().message});
    std::vector<std::string> diff;
    if (const Value* record = expect.find("record")) {
        if (*record != *merged) {
            diff_subset(*record, *merged, "", diff);
            // keys present in the result but not expected
            for (const auto& [k, v] : merged->as_map())
                if (!record->find(k)) diff.push_back("+ " + k + ": " + v.to_json() + " (unexpected)");
            if (diff.empty()) diff.push_back("+ " + merged->to_json());
            fail(o, "merged record differs", diff);
        }
    }
    if (const Value* subset = expect.find("includes")) {
        diff_subset(*subset, *merged, "", diff);
        if (!diff.empty()) fail(o, "merged record differs", diff);
    }
}

int cmd_test(const std::string& dir, const std::string& cases_path) {
    auto yaml = config::load_yaml_file(cases_path);
    if (!yaml) {
        std::cerr << "tillctl: " << yaml.error().message << "\n";
        return 2;
    }
    Value doc = yaml_to_value(*yaml);
    const config::ConfigNode* cases_node = yaml->get("cases");
    if (!cases_node || cases_node->kind != config::ConfigNode::Kind::sequence) {
        std::cerr << cases_path << ":" << yaml->mark.line << ":" << yaml->mark.col << ": expected a list under 'cases'\n";
        return 2;
    }
    auto catalog = sc::MapCatalog::from_value(doc["catalog"]);
    if (!catalog) {
        std::cerr << cases_path << ": " << catalog.error().message << "\n";
        return 2;
    }
    auto snapshot = sc::read_deployment(dir);
    if (!snapshot) {
        std::cerr << "tillctl: " << snapshot.error().message << "\n";
        return 2;
    }
    auto set = sc::RuleSet::load(std::move(*snapshot), tool_options());
    if (!set) {
        std::cerr << set.error().message << "\n";
        return 1;
    }
    sc::UpsellRunner upsell(*set);
    sc::PolicyRunner policy(*set);
    std::vector<CaseOutcome> outcomes;
    for (std::size_t i = 0; i < cases_node->items.size(); ++i) {
        const auto& node = cases_node->items[i];
        Value c = yaml_to_value(node);
        std::string where = cases_path + ":" + std::to_string(node.mark.line) + ":" + std::to_string(node.mark.col) + ": ";
        CaseOutcome o;
        o.name = c["name"].as_string("case " + std::to_string(i + 1));
        if (!c.is_map() || !c.find("expect")) fail(o, where + "a case needs 'expect'");
        else if (c.find("conflict")) check_conflict_case(policy, c, o);
        else if (c.find("cart")) check_upsell_case(upsell, c, doc["context"], &*catalog, where, o);
        else fail(o, where + "a case needs 'cart' (upsell) or 'conflict' (policy)");
        outcomes.push_back(std::move(o));
    }
    std::size_t width = 4;
    for (const auto& o : outcomes) width = std::max(width, o.name.size());
    std::cout << std::left << std::setw(8) << "RESULT" << std::setw(static_cast<int>(width) + 2) << "CASE" << "DETAIL\n";
    int failed = 0;
    for (const auto& o : outcomes) {
        std::cout << std::left << std::setw(8) << (o.passed ? "pass" : "FAIL") << std::setw(static_cast<int>(width) + 2)
                  << o.name << o.detail << "\n";
        failed += o.passed ? 0 : 1;
    }
    for (const auto& o : outcomes) {
        if (o.passed || o.diff.empty()) continue;
        std::cout << "\n--- " << o.name << "\n";
        for (const auto& d : o.diff) std::cout << "  " << d << "\n";
    }
    std::cout << "\n" << outcomes.size() << " case(s): " << outcomes.size() - failed << " passed, " << failed
              << " failed\n";
    return failed ? 1 : 0;
}

// --- status ---------------------------------------------------------------

std::string time_text(std::int64_t utc_ms) {
    if (utc_ms <= 0) return "-";
    std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

int cmd_status(const std::string& url, bool as_json) {
    auto answer = http_get(url, "/api/v1/node");
    if (!answer) {
        std::cerr << "tillctl: " << answer.error().message << "\n";
        return 1;
    }
    if (answer->status != 200) {
        std::cerr << "tillctl: " << url << "/api/v1/node answered " << answer->status << "\n";
        return 1;
    }
    auto node = Value::parse_json(answer->body);
    if (!node) {
        std::cerr << "tillctl: " << url << "/api/v1/node: " << node.error().message << "\n";
        return 1;
    }
    const Value& rules = (*node)["rules"];
    if (as_json) {
        std::cout << rules.to_json() << "\n";
        return 0;
    }
    if (!rules["enabled"].as_bool()) {
        std::cout << "node " << (*node)["node_id"].as_string()
                  << ": no rules (rules.scripts_dir is not set in its config)\n";
        return 0;
    }
    std::cout << "node " << (*node)["node_id"].as_string() << ": rules of " << rules["deployment_dir"].as_string()
              << "\n";
    if (rules["loaded"].as_bool())
        std::cout << "running version " << rules["version"].as_string() << ", loaded "
                  << time_text(rules["loaded_at_utc_ms"].as_int()) << ", " << rules["reloads"].as_int()
                  << " reload(s)\n";
    else
        std::cout << "no version running: no suggestions until a good version is on disk\n";
    if (const std::string& refused = rules["last_reload_error"].as_string(); !refused.empty()) {
        std::cout << "REFUSED at " << time_text(rules["last_reload_error_at_utc_ms"].as_int()) << ":\n";
        std::istringstream lines(refused);
        std::string line;
        while (std::getline(lines, line)) std::cout << "  " << line << "\n";
    }
    std::vector<std::vector<std::string>> rows{{"FILE", "KIND", "STATE", "FAILURES", "RUNS", "LAST ERROR"}};
    for (const auto& r : rules["rules"].as_list())
        rows.push_back({r["file"].as_string(), r["kind"].as_string(), r["state"].as_string(),
                        std::to_string(r["consecutive_failures"].as_int()) + " (" +
                            std::to_string(r["total_failures"].as_int()) + " total)",
                        std::to_string(r["runs"].as_int()), first_line(r["last_error"].as_string())});
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    for (const auto& row : rows) {
        for (std::size_t i = 0; i + 1 < row.size(); ++i)
            std::cout << std::left << std::setw(static_cast<int>(widths[i]) + 2) << row[i];
        std::cout << row.back() << "\n";
    }
    return 0;
}

}  // namespace

int run_rules_command(const std::string& url, const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "status") {
        if (args.size() == 1) return cmd_status(url, false);
        if (args.size() == 2 && args[1] == "--json") return cmd_status(url, true);
        return rules_usage(std::cerr, 2);
    }
    return run_rules_command(args);
}

int run_rules_command(const std::vector<std::string>& args) {
    if (args.size() == 2 && args[0] == "check") return cmd_check(args[1]);
    if (args.size() == 4 && args[0] == "test" && args[2] == "--cases") return cmd_test(args[1], args[3]);
    if ((args.size() == 4 || args.size() == 5) && args[0] == "run" && args[2] == "--cart") {
        bool as_json = args.size() == 5;
        if (as_json && args[4] != "--json") return rules_usage(std::cerr, 2);
        return cmd_run(args[1], args[3], as_json);
    }
    return rules_usage(std::cerr, 2);
}

}  // namespace till::ctl
