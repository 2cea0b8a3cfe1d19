// Which ReplicaApplier writes a change of a given type into its module's
// tables: filled by the node from the domain modules (catalog, people,
// customers) before the sync engine or the HQ hub starts; read by both.
//
// Threading: add() during setup; find() from any thread afterwards (both
// are guarded, so late additions are safe too). The appliers must outlive
// the registry's users.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/replication.hpp"

namespace till::sync {

class ApplierRegistry {
public:
    /// Registers `applier` for change `type`; a second add for the same type
    /// replaces the first.
    void add(std::string type, domain::ReplicaApplier& applier);
    /// The applier for `type`, nullptr when none.
    domain::ReplicaApplier* find(std::string_view type) const;
    /// Registered types, sorted.
    std::vector<std::string> types() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, domain::ReplicaApplier*, std::less<>> appliers_;
};

}  // namespace till::sync
