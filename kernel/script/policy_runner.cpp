#include "script/policy_runner.hpp"

#include <cstdio>

#include "script/conflict_resolver.hpp"
#include "script/lua_internal.hpp"
#include "script/lua_sandbox.hpp"
#include "script/lua_value.hpp"
#include "script/rule_set.hpp"

namespace till::script {

ConflictResolver::~ConflictResolver() = default;

std::string format_hlc(std::int64_t wall_ms, int counter, std::string_view node_id) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%015lld-%05d-", static_cast<long long>(wall_ms), counter);
    return std::string(buf) + std::string(node_id);
}

struct PolicyRunner::Impl {
    std::shared_ptr<RuleSet> rules;
    LuaSandbox sandbox;
    std::vector<int> function_refs;
    std::vector<std::string> load_errors;

    explicit Impl(std::shared_ptr<RuleSet> r)
        : rules(std::move(r)),
          sandbox(SandboxProfile::policy, rules->options().policy_limits, rules->files().lib_sources()) {}
};

PolicyRunner::PolicyRunner(std::shared_ptr<RuleSet> rules) : impl_(std::make_unique<Impl>(std::move(rules))) {
    lua_State* L = impl_->sandbox.state();
    for (const auto& file : impl_->rules->files().conflict) {
        int ref = LUA_NOREF;
        auto env = impl_->sandbox.load_file(file.source);
        if (env && impl_->sandbox.push_global_function(*env, "resolve")) ref = luaL_ref(L, LUA_REGISTRYINDEX);
        impl_->function_refs.push_back(ref);
        impl_->load_errors.push_back(env ? file.source.display_name + ": does not define resolve"
                                         : env.error().message);
    }
}

PolicyRunner::~PolicyRunner() = default;

const std::shared_ptr<RuleSet>& PolicyRunner::rule_set() const noexcept { return impl_->rules; }

sdk::Result<sdk::Value> PolicyRunner::resolve(std::string_view kind, const sdk::Value& local,
                                              const sdk::Value& remote, const sdk::Value& base) {
    const auto& files = impl_->rules->files().conflict;
    std::size_t index = files.size();
    for (std::size_t i = 0; i < files.size(); ++i)
        if (files[i].stem == kind) index = i;
    if (index == files.size())
        for (std::size_t i = 0; i < files.size(); ++i)
            if (files[i].stem == "default") index = i;
    if (index == files.size())
        return sdk::Error{"no_policy", "no conflict policy for kind '" + std::string(kind) + "' (add " +
                                           impl_->rules->files().name + "/conflict/" + std::string(kind) +
                                           ".lua or default.lua)"};
    const std::string& file = files[index].source.display_name;
    if (impl_->function_refs[index] == LUA_NOREF) {
        impl_->rules->record_policy_run(index, impl_->load_errors[index]);
        return sdk::Error{"policy_failed", impl_->load_errors[index]};
    }
    lua_State* L = impl_->sandbox.state();
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, impl_->function_refs[index]);
    lua_pushlstring(L, kind.data(), kind.size());
    std::string error;
    for (const auto* v : {&local, &remote, &base}) {
        if (!detail::push_value(L, *v, error)) {
            lua_settop(L, 0);
            return sdk::Error{"invalid_record", std::string(v == &local ? "local" : v == &remote ? "remote" : "base") +
                                                    ": " + error};
        }
    }
    auto called = impl_->sandbox.call(4, 1);
    if (!called) {
        std::string message = called.message();
        if (message.rfind(file, 0) != 0) message = file + ": " + message;
        impl_->rules->record_policy_run(index, message);
        return sdk::Error{"policy_failed", message};
    }
    auto merged = detail::read_value(L, -1);
    lua_settop(L, 0);
    if (!merged) {
        std::string message = file + ": resolve returned an invalid record: " + merged.error().message;
        impl_->rules->record_policy_run(index, message);
        return sdk::Error{"policy_failed", message};
    }
    if (!merged->is_map()) {
        std::string message = file + ": resolve must return the merged record (a table), got " +
                              sdk::Value::type_name(merged->type());
        impl_->rules->record_policy_run(index, message);
        return sdk::Error{"policy_failed", message};
    }
    impl_->rules->record_policy_run(index, "");
    return merged;
}

}  // namespace till::script
