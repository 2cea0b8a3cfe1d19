#include "sync/applier_registry.hpp"

namespace till::sync {

void ApplierRegistry::add(std::string type, domain::ReplicaApplier& applier) {
    std::lock_guard lock(mutex_);
    appliers_[std::move(type)] = &applier;
}

domain::ReplicaApplier* ApplierRegistry::find(std::string_view type) const {
    std::lock_guard lock(mutex_);
    auto it = appliers_.find(type);
    return it == appliers_.end() ? nullptr : it->second;
}

std::vector<std::string> ApplierRegistry::types() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [type, applier] : appliers_) out.push_back(type);
    return out;
}

}  // namespace till::sync
