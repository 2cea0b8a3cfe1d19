#include "plugin_host/dependency_order.hpp"

#include <algorithm>

namespace till::plugin_host {
namespace {

enum class Mark { unvisited, visiting, done };

struct Walker {
    const std::map<std::string, std::vector<std::string>>& graph;
    std::map<std::string, Mark> marks;
    std::vector<std::string> stack;
    DependencyOrder result;

    void visit(const std::string& id) {
        Mark& mark = marks[id];
        if (mark == Mark::done) return;
        if (mark == Mark::visiting) {
            auto from = std::find(stack.begin(), stack.end(), id);
            std::string text;
            for (auto it = from; it != stack.end(); ++it) text += *it + " -> ";
            text += id;
            for (auto it = from; it != stack.end(); ++it) result.cycles.emplace(*it, text);
            return;
        }
        mark = Mark::visiting;
        stack.push_back(id);
        auto deps = graph.at(id);
        std::sort(deps.begin(), deps.end());
        for (const auto& dep : deps)
            if (graph.count(dep)) visit(dep);
        stack.pop_back();
        marks[id] = Mark::done;
        if (!result.cycles.count(id)) result.order.push_back(id);
    }
};

}  // namespace

DependencyOrder order_by_dependencies(const std::map<std::string, std::vector<std::string>>& graph) {
    Walker walker{graph, {}, {}, {}};
    for (const auto& [id, deps] : graph) walker.visit(id);
    return std::move(walker.result);
}

}  // namespace till::plugin_host
