#include "script/suggestion.hpp"

#include <algorithm>
#include <unordered_map>

namespace till::script {

std::vector<Suggestion> merge_suggestions(const std::vector<Suggestion>& in_rule_order, std::size_t max) {
    std::vector<Suggestion> out;
    std::unordered_map<std::string, std::size_t> by_sku;
    for (const auto& s : in_rule_order) {
        auto it = by_sku.find(s.sku);
        if (it == by_sku.end()) {
            by_sku.emplace(s.sku, out.size());
            out.push_back(s);
        } else if (s.priority > out[it->second].priority) {
            out[it->second] = s;  // keeps the first position: rule order breaks ties
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Suggestion& a, const Suggestion& b) { return a.priority > b.priority; });
    if (out.size() > max) out.resize(max);
    return out;
}

sdk::Value suggestions_to_value(const std::vector<Suggestion>& suggestions) {
    sdk::Value list = sdk::Value::list();
    for (const auto& s : suggestions) {
        sdk::Value v = sdk::Value::map();
        v.set("sku", s.sku);
        v.set("reason", s.reason);
        if (s.price_minor) v.set("price_minor", *s.price_minor);
        v.set("priority", s.priority);
        v.set("rule", s.rule);
        list.push_back(std::move(v));
    }
    return list;
}

}  // namespace till::script
