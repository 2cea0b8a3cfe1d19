#include "script/upsell_runner.hpp"

#include <chrono>
#include <cmath>

#include "script/cart_mirror.hpp"
#include "script/lua_internal.hpp"
#include "script/lua_sandbox.hpp"
#include "script/rule_set.hpp"

namespace till::script {

using namespace detail;

namespace {

constexpr std::size_t kMaxSuggestionsPerRule = 50;
constexpr std::size_t kMaxSkuBytes = 64;
constexpr std::size_t kMaxReasonBytes = 200;
constexpr std::int64_t kLookupCost = 200;  // instructions charged per catalog lookup
constexpr std::size_t kMaxLookupResults = 100;

const RuleCatalog* current_catalog(lua_State* L) {
    auto* slot = static_cast<const RuleCatalog* const*>(lua_touserdata(L, lua_upvalueindex(1)));
    return slot ? *slot : nullptr;
}

void push_item(lua_State* L, const CatalogItem& item) {
    lua_createtable(L, 0, 6);
    lua_pushlstring(L, item.sku.data(), item.sku.size());
    lua_setfield(L, -2, "sku");
    lua_pushlstring(L, item.name.data(), item.name.size());
    lua_setfield(L, -2, "name");
    lua_pushlstring(L, item.department.data(), item.department.size());
    lua_setfield(L, -2, "department");
    lua_pushnumber(L, static_cast<lua_Number>(item.price_minor));
    lua_setfield(L, -2, "price_minor");
    push_string_list(L, item.tags);
    lua_setfield(L, -2, "tags");
    lua_pushboolean(L, item.active);
    lua_setfield(L, -2, "active");
}

int catalog_by_sku(lua_State* L) {
    std::size_t len = 0;
    const char* sku = luaL_checklstring(L, 1, &len);
    charge_steps(L, kLookupCost);
    const RuleCatalog* catalog = current_catalog(L);
    std::optional<CatalogItem> item;
    try {
        if (catalog) item = catalog->find_by_sku(std::string_view(sku, len));
    } catch (...) {  // a throwing catalog must not unwind through Lua
        item.reset();
    }
    if (!item) return 0;
    push_item(L, *item);
    return 1;
}

template <bool kByTag>
int catalog_list(lua_State* L) {
    std::size_t len = 0;
    const char* key = luaL_checklstring(L, 1, &len);
    auto limit = static_cast<std::size_t>(luaL_optinteger(L, 2, 20));
    if (limit > kMaxLookupResults) limit = kMaxLookupResults;
    charge_steps(L, kLookupCost);
    const RuleCatalog* catalog = current_catalog(L);
    std::vector<CatalogItem> items;
    try {
        if (catalog)
            items = kByTag ? catalog->find_by_tag(std::string_view(key, len), limit)
                           : catalog->find_by_department(std::string_view(key, len), limit);
    } catch (...) {
        items.clear();
    }
    if (items.size() > limit) items.resize(limit);
    charge_steps(L, static_cast<std::int64_t>(items.size()) * 20);
    lua_createtable(L, static_cast<int>(items.size()), 0);
    int i = 1;
    for (const auto& item : items) {
        push_item(L, item);
        lua_rawseti(L, -2, i++);
    }
    return 1;
}

bool whole(double d) { return d == std::floor(d) && std::fabs(d) < 9007199254740992.0; }

}  // namespace

struct UpsellRunner::Impl {
    std::shared_ptr<RuleSet> rules;
    LuaSandbox sandbox;
    std::unique_ptr<CartMirror> mirror;
    std::vector<int> function_refs;  // per upsell file; LUA_NOREF when it failed to load here
    std::vector<std::string> load_errors;
    const RuleCatalog* catalog = nullptr;
    int ctx_ref = LUA_NOREF;
    int ctx_backing_ref = LUA_NOREF;

    explicit Impl(std::shared_ptr<RuleSet> r)
        : rules(std::move(r)),
          sandbox(SandboxProfile::upsell, rules->options().upsell_limits, rules->files().lib_sources()) {}

    void build_context() {
        lua_State* L = sandbox.state();
        lua_createtable(L, 0, 8);
        int ctx = lua_gettop(L);
        lua_createtable(L, 0, 3);
        int cat = lua_gettop(L);
        lua_pushlightuserdata(L, &catalog);
        lua_pushcclosure(L, catalog_by_sku, 1);
        lua_setfield(L, cat, "by_sku");
        lua_pushlightuserdata(L, &catalog);
        lua_pushcclosure(L, catalog_list<false>, 1);
        lua_setfield(L, cat, "by_department");
        lua_pushlightuserdata(L, &catalog);
        lua_pushcclosure(L, catalog_list<true>, 1);
        lua_setfield(L, cat, "by_tag");
        push_readonly(L, cat);
        lua_setfield(L, ctx, "catalog");
        lua_pop(L, 1);
        push_readonly(L, ctx);
        ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        ctx_backing_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }

    void update_context(const UpsellContext& c) {
        lua_State* L = sandbox.state();
        catalog = c.catalog;
        std::int64_t local_ms = c.time_utc_ms + static_cast<std::int64_t>(c.utc_offset_minutes) * 60000;
        std::int64_t day_ms = ((local_ms % 86400000) + 86400000) % 86400000;
        int hour = static_cast<int>(day_ms / 3600000);
        int minute = static_cast<int>(day_ms / 60000 % 60);
        std::int64_t days = (local_ms - day_ms) / 86400000;  // since 1970-01-01, a Thursday
        int weekday = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;  // 1 = Monday
        lua_rawgeti(L, LUA_REGISTRYINDEX, ctx_backing_ref);
        int t = lua_gettop(L);
        lua_pushlstring(L, c.store_id.data(), c.store_id.size());
        lua_setfield(L, t, "store_id");
        lua_pushnumber(L, static_cast<lua_Number>(c.time_utc_ms));
        lua_setfield(L, t, "time_utc_ms");
        lua_pushinteger(L, hour);
        lua_setfield(L, t, "local_hour");
        lua_pushinteger(L, minute);
        lua_setfield(L, t, "local_minute");
        lua_pushinteger(L, weekday);
        lua_setfield(L, t, "weekday");
        if (c.daypart.empty()) lua_pushstring(L, daypart_for_hour(hour));
        else lua_pushlstring(L, c.daypart.data(), c.daypart.size());
        lua_setfield(L, t, "daypart");
        lua_pop(L, 1);
    }

    // Reads the rule's answer at the top of the stack into `out`; problems
    // name the file, the suggestion's position and the field.
    sdk::Status read_suggestions(const std::string& file, std::vector<Suggestion>& out,
                                 std::vector<std::string>& problems, std::size_t& valid) {
        lua_State* L = sandbox.state();
        int result = lua_gettop(L);
        if (lua_isnil(L, result)) return {};
        if (lua_type(L, result) != LUA_TTABLE)
            return sdk::Status::failure("invalid_result", file + ": upsell must return a list of suggestions, got " +
                                                              luaL_typename(L, result));
        auto n = lua_objlen(L, result);
        if (n > kMaxSuggestionsPerRule) {
            problems.push_back(file + ": returned " + std::to_string(n) + " suggestions; only the first " +
                               std::to_string(kMaxSuggestionsPerRule) + " are read");
            n = kMaxSuggestionsPerRule;
        }
        for (std::size_t i = 1; i <= n; ++i) {
            lua_rawgeti(L, result, static_cast<int>(i));
            int item = lua_gettop(L);
            std::string where = file + ": suggestion " + std::to_string(i);
            std::string problem;
            Suggestion s;
            s.rule = file;
            if (lua_type(L, item) != LUA_TTABLE) {
                problem = where + ": expected a table {sku=..., reason=...}, got " + luaL_typename(L, item);
            } else {
                bool has_sku = false, has_reason = false;
                lua_pushnil(L);
                while (problem.empty() && lua_next(L, item)) {
                    std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
                    int vt = lua_type(L, -1);
                    if (key == "sku") {
                        std::size_t len = 0;
                        const char* v = vt == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
                        if (!v || len == 0 || len > kMaxSkuBytes)
                            problem = where + ": field 'sku': expected a non-empty string of at most 64 bytes";
                        else s.sku.assign(v, len), has_sku = true;
                    } else if (key == "reason") {
                        std::size_t len = 0;
                        const char* v = vt == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
                        if (!v || len == 0 || len > kMaxReasonBytes)
                            problem = where + ": field 'reason': expected a non-empty string of at most 200 bytes";
                        else s.reason.assign(v, len), has_reason = true;
                    } else if (key == "price_minor") {
                        double d = vt == LUA_TNUMBER ? lua_tonumber(L, -1) : -1;
                        if (!whole(d) || d < 0)
                            problem = where + ": field 'price_minor': expected a whole number >= 0 (minor units)";
                        else s.price_minor = static_cast<std::int64_t>(d);
                    } else if (key == "priority") {
                        double d = vt == LUA_TNUMBER ? lua_tonumber(L, -1) : 0.5;
                        if (!whole(d) || d < -1000 || d > 1000)
                            problem = where + ": field 'priority': expected a whole number from -1000 to 1000";
                        else s.priority = static_cast<std::int64_t>(d);
                    } else {
                        problem = where + ": unknown field '" + (key.empty() ? std::string("?") : key) +
                                  "' (allowed: sku, reason, price_minor, priority)";
                    }
                    lua_pop(L, 1);
                }
                if (problem.empty() && !has_sku) problem = where + ": field 'sku': missing";
                if (problem.empty() && !has_reason) problem = where + ": field 'reason': missing";
            }
            lua_settop(L, result);
            if (!problem.empty()) {
                problems.push_back(problem);
                continue;
            }
            out.push_back(std::move(s));
            ++valid;
        }
        return {};
    }
};

UpsellRunner::UpsellRunner(std::shared_ptr<RuleSet> rules) : impl_(std::make_unique<Impl>(std::move(rules))) {
    lua_State* L = impl_->sandbox.state();
    impl_->mirror = std::make_unique<CartMirror>(L);
    impl_->build_context();
    for (const auto& file : impl_->rules->files().upsell) {
        int ref = LUA_NOREF;
        auto env = impl_->sandbox.load_file(file.source);
        if (env && impl_->sandbox.push_global_function(*env, "upsell")) ref = luaL_ref(L, LUA_REGISTRYINDEX);
        impl_->function_refs.push_back(ref);
        impl_->load_errors.push_back(env ? std::string(file.source.display_name + ": does not define upsell")
                                         : env.error().message);
    }
}

UpsellRunner::~UpsellRunner() = default;

const std::shared_ptr<RuleSet>& UpsellRunner::rule_set() const noexcept { return impl_->rules; }

UpsellResult UpsellRunner::evaluate(const Cart& cart, const UpsellContext& ctx, const EvaluateOptions& options) {
    using Clock = std::chrono::steady_clock;
    UpsellResult result;
    auto& impl = *impl_;
    lua_State* L = impl.sandbox.state();
    // Marshalling runs protected: an allocation failure there skips this
    // evaluation instead of ending the process.
    struct Marshal {
        Impl* impl;
        const Cart* cart;
        const UpsellContext* ctx;
    } marshal{&impl, &cart, &ctx};
    int marshalled = lua_cpcall(
        L,
        [](lua_State* state) -> int {
            auto* m = static_cast<Marshal*>(lua_touserdata(state, 1));
            m->impl->mirror->update(*m->cart);
            m->impl->update_context(*m->ctx);
            return 0;
        },
        &marshal);
    if (marshalled != 0) {
        std::string message = std::string("cart update failed: ") +
                              (lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error");
        lua_settop(L, 0);
        impl.mirror.reset();  // its tables may be half updated
        lua_gc(L, LUA_GCCOLLECT, 0);
        impl.mirror = std::make_unique<CartMirror>(L);
        result.problems.push_back(message);
        if (impl.rules->options().logger) impl.rules->options().logger->error(message);
        return result;
    }
    const auto& files = impl.rules->files().upsell;
    auto evaluation_deadline = Clock::now() + std::chrono::milliseconds(options.evaluation_budget_ms);
    std::vector<Suggestion> all;
    result.runs.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        RuleRun run;
        run.rule = files[i].source.display_name;
        if (impl.rules->upsell_disabled(i)) {
            run.error = "disabled after repeated failures (runs again when its file changes)";
            result.runs.push_back(std::move(run));
            continue;
        }
        if (impl.function_refs[i] == LUA_NOREF) {
            run.ran = true;
            run.error = impl.load_errors[i];
            impl.rules->record_upsell_failure(i, run.error);
            result.runs.push_back(std::move(run));
            continue;
        }
        if (i > 0 && Clock::now() > evaluation_deadline) {
            run.error = "skipped: the evaluation budget (" + std::to_string(options.evaluation_budget_ms) +
                        " ms) was spent by earlier rules";
            result.runs.push_back(std::move(run));
            continue;
        }
        auto started = options.measure_time ? Clock::now() : Clock::time_point{};
        lua_rawgeti(L, LUA_REGISTRYINDEX, impl.function_refs[i]);
        impl.mirror->push(L);
        lua_rawgeti(L, LUA_REGISTRYINDEX, impl.ctx_ref);
        auto called = impl.sandbox.call(2, 1);
        run.ran = true;
        run.instructions = impl.sandbox.last_call_instructions();
        if (called) {
            auto read = impl.read_suggestions(run.rule, all, result.problems, run.suggestions);
            lua_settop(L, 0);
            if (read) {
                run.ok = true;
                impl.rules->record_upsell_success(i);
            } else {
                run.error = read.message();
                impl.rules->record_upsell_failure(i, run.error);
            }
        } else {
            run.error = called.message();
            if (run.error.rfind(run.rule, 0) != 0) run.error = run.rule + ": " + run.error;
            impl.rules->record_upsell_failure(i, run.error);
        }
        if (options.measure_time)
            run.elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
        result.runs.push_back(std::move(run));
    }
    if (!result.problems.empty() && impl.rules->options().logger)
        for (const auto& p : result.problems) impl.rules->options().logger->warn(p);
    result.printed = impl.sandbox.take_printed();
    result.suggestions = merge_suggestions(all, options.max_suggestions);
    return result;
}

sdk::Value UpsellResult::to_value() const {
    sdk::Value v = sdk::Value::map();
    v.set("suggestions", suggestions_to_value(suggestions));
    sdk::Value list = sdk::Value::list();
    for (const auto& r : runs) {
        sdk::Value rv = sdk::Value::map();
        rv.set("rule", r.rule);
        rv.set("ran", r.ran);
        rv.set("ok", r.ok);
        if (!r.error.empty()) rv.set("error", r.error);
        rv.set("elapsed_us", r.elapsed_ns / 1000);
        rv.set("instructions", r.instructions);
        rv.set("suggestions", static_cast<long long>(r.suggestions));
        list.push_back(std::move(rv));
    }
    v.set("runs", std::move(list));
    sdk::Value problems_v = sdk::Value::list();
    for (const auto& p : problems) problems_v.push_back(p);
    v.set("problems", std::move(problems_v));
    return v;
}

}  // namespace till::script
