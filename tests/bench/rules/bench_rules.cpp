// Benchmark of Lua upsell rules (issue 4): 20 rules on 5-, 20- and 100-line
// carts and 50 rules on 20 lines; median and p99 in microseconds, with the
// ratio to the same rules written in C++. Prints figures, asserts nothing.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include "script/rule_set.hpp"
#include "script/rules_engine.hpp"
#include "script/upsell_runner.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using namespace till::script;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kWarmup = 300;
constexpr int kIterations = 3000;

// Built with append rather than literal + string chains: GCC 12 at -O2
// reports a false -Wrestrict on the latter.
std::string numbered(const char* prefix, int n) {
    std::string out(prefix);
    out.append(std::to_string(n));
    return out;
}

std::string lua_rule(int i) {
    std::string r;
    r.append("local DEPT = '").append(numbered("dept", i % 16)).append("'\n");
    r.append("local SKU = '").append(numbered("SUG", i)).append("'\n");
    r.append("function upsell(cart, ctx)\n"
             "  local has_dept, has_sku = false, false\n"
             "  for _, line in ipairs(cart.lines) do\n"
             "    if line.department == DEPT then has_dept = true end\n"
             "    if line.sku == SKU then has_sku = true end\n"
             "  end\n");
    r.append("  if has_dept and not has_sku and cart.totals.total_minor > ").append(std::to_string(i * 10));
    r.append(" then\n    return {{sku = SKU, reason = '").append(numbered("rule ", i));
    r.append("', priority = ").append(std::to_string(i % 10)).append("}}\n  end\n  return nil\nend\n");
    return r;
}

// The same rules in C++: the limit the Lua path is compared to.
std::vector<Suggestion> cpp_rules(const Cart& cart, int rules) {
    std::vector<Suggestion> all;
    for (int i = 0; i < rules; ++i) {
        std::string dept = numbered("dept", i % 16);
        std::string sku = numbered("SUG", i);
        bool has_dept = false, has_sku = false;
        for (const auto& line : cart.lines) {
            if (line.department == dept) has_dept = true;
            if (line.sku == sku) has_sku = true;
        }
        if (has_dept && !has_sku && cart.total_minor > i * 10)
            all.push_back({sku, numbered("rule ", i), std::nullopt, i % 10, "cpp"});
    }
    return merge_suggestions(all, 10);
}

Cart make_cart(int lines, int variant) {
    Cart c;
    c.order_id = "bench";
    c.order_type = "counter";
    c.currency = "GBP";
    for (int i = 0; i < lines; ++i) {
        CartLine l;
        l.line_id = numbered("l", i);
        l.sku = numbered("SKU", i + variant * 1000);
        l.name = numbered("Item ", i);
        l.department = numbered("dept", i % 8);
        l.qty_milli = 1000;
        l.unit_price_minor = 100 + i;
        l.total_minor = l.unit_price_minor;
        c.lines.push_back(l);
        c.subtotal_minor += l.total_minor;
    }
    c.total_minor = c.subtotal_minor;
    return c;
}

// Wall-clock figures are what a sale waits for; on a loaded machine they
// include preemption, so the thread's CPU time is printed as well.
struct Figures {
    double median_us;
    double p99_us;
    double cpu_median_us = 0;
    double cpu_p99_us = 0;
};

double thread_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

template <class F>
Figures measure(F&& f) {
    for (int i = 0; i < kWarmup; ++i) f(i);
    std::vector<double> us, cpu;
    us.reserve(kIterations);
    cpu.reserve(kIterations);
    for (int i = 0; i < kIterations; ++i) {
        double c0 = thread_cpu_us();
        auto t0 = Clock::now();
        f(i);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        cpu.push_back(thread_cpu_us() - c0);
    }
    std::sort(us.begin(), us.end());
    std::sort(cpu.begin(), cpu.end());
    return {us[us.size() / 2], us[us.size() * 99 / 100], cpu[cpu.size() / 2], cpu[cpu.size() * 99 / 100]};
}

std::shared_ptr<RuleSet> load_rules(const test::TempDir& dir, int rules, bool unsafe_jit, bool empty = false) {
    std::string deployment = "scripts/bench" + std::to_string(rules) + (empty ? "e" : "");
    for (int i = 0; i < rules; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "/upsell/r%02d.lua", i);
        dir.write(deployment + name, empty ? "function upsell(cart, ctx) return nil end\n" : lua_rule(i));
    }
    auto snapshot = read_deployment(dir.file(deployment));
    RuleSetOptions options;
    options.upsell_limits.unsafe_jit_for_scripts = unsafe_jit;
    auto set = RuleSet::load(std::move(*snapshot), options);
    if (!set) {
        std::fprintf(stderr, "%s\n", set.error().message.c_str());
        std::exit(1);
    }
    return *set;
}

void row(const char* label, int rules, int lines, Figures lua, Figures cpp) {
    std::printf("%-40s %5d %5d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7.1fx\n", label, rules, lines, lua.median_us,
                lua.p99_us, lua.cpu_median_us, lua.cpu_p99_us, cpp.median_us, cpp.p99_us,
                lua.cpu_median_us / std::max(cpp.cpu_median_us, 0.001));
}

}  // namespace

int main() {
    test::TempDir dir("till-bench-rules");
    std::printf("Upsell evaluation, full path (cart update + sandboxed rules + read-back + merge), microseconds\n");
    std::printf("%-40s %5s %5s %9s %9s %9s %9s %9s %9s %8s\n", "case", "rules", "lines", "lua med", "lua p99",
                "cpu med", "cpu p99", "c++ med", "c++ p99", "cpu ratio");
    {
        // The fixed cost of the sandboxed call path: rules that do nothing.
        UpsellRunner runner(load_rules(dir, 20, false, true));
        UpsellContext ctx{"store", 1795132800000LL, 0, "", nullptr};
        Cart cart = make_cart(20, 0);
        auto empty = measure([&](int) { auto r = runner.evaluate(cart, ctx); });
        row("sandbox, 20 empty rules (overhead)", 20, 20, empty, Figures{0.001, 0.001, 0.001, 0.001});
    }
    struct Config {
        int rules, lines;
    };
    for (bool unsafe_jit : {false, true}) {
        for (auto [rules, lines] : {Config{20, 5}, Config{20, 20}, Config{20, 100}, Config{50, 20}}) {
            auto set = load_rules(dir, rules, unsafe_jit);
            UpsellRunner runner(set);
            UpsellContext ctx{"store", 1795132800000LL, 0, "", nullptr};
            Cart cart = make_cart(lines, 0);
            Cart other = make_cart(lines, 1);
            auto cpp = measure([&](int i) {
                cart.lines[0].qty_milli = 1000 + (i % 7) * 1000;
                auto s = cpp_rules(cart, rules);
                if (s.size() > 100) std::abort();
            });
            std::string base = unsafe_jit ? "UNSAFE jit on scripts, " : "sandbox, ";
            // One line changes per call: what a cart change costs.
            auto changed = measure([&](int i) {
                cart.lines[0].qty_milli = 1000 + (i % 7) * 1000;
                auto r = runner.evaluate(cart, ctx);
                if (r.suggestions.empty()) std::abort();
            });
            row((base + "one line changed").c_str(), rules, lines, changed, cpp);
            if (unsafe_jit) continue;
            auto same = measure([&](int) { auto r = runner.evaluate(cart, ctx); });
            row((base + "cart unchanged").c_str(), rules, lines, same, cpp);
            auto rebuilt = measure([&](int i) { auto r = runner.evaluate(i % 2 ? cart : other, ctx); });
            row((base + "every line new").c_str(), rules, lines, rebuilt, cpp);
        }
    }

    // Policy resolution per record: a customer with 10 fields, both sides
    // changed half of them.
    dir.write("scripts/lib/conflict_defaults.lua",
              test::read_file(std::string(TILL_SOURCE_SCRIPTS_DIR) + "/lib/conflict_defaults.lua"));
    dir.write("scripts/policy/conflict/default.lua",
              test::read_file(std::string(TILL_SOURCE_SCRIPTS_DIR) + "/cafe/conflict/default.lua"));
    RulesEngineOptions o;
    o.deployment_dir = dir.file("scripts/policy");
    o.poll_interval_ms = 0;
    RulesEngine engine(o);
    if (!engine.start()) return 1;
    sdk::Value mine = sdk::Value::map(), theirs = sdk::Value::map();
    for (auto* rec : {&mine, &theirs}) {
        sdk::Value fields = sdk::Value::map(), hlc = sdk::Value::map();
        for (int f = 0; f < 10; ++f) {
            bool newer = (rec == &mine) == (f % 2 == 0);
            fields.set("f" + std::to_string(f), std::string(rec == &mine ? "mine" : "theirs") + std::to_string(f));
            hlc.set("f" + std::to_string(f), format_hlc(1795132800000LL + (newer ? 1000 : 0), 0, "n"));
        }
        rec->set("id", "c-1");
        rec->set("fields", fields);
        rec->set("hlc", hlc);
    }
    auto policy = measure([&](int) {
        auto r = engine.resolve("customer", mine, theirs, sdk::Value());
        if (!r) std::abort();
    });
    std::printf("\nPolicy resolution (customer, 10 fields, per-field LWW): median %.2f us, p99 %.2f us "
                "(cpu median %.2f us, p99 %.2f us)\n",
                policy.median_us, policy.p99_us, policy.cpu_median_us, policy.cpu_p99_us);
    return 0;
}
