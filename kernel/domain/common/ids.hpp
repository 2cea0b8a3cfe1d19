// UUIDv7 identifiers made on the node: time-ordered, offline-safe, text form
// "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d". One generator per node (passed down
// in DomainContext); thread-safe. Ids made by one generator sort in creation
// order even within one millisecond.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "till/sdk/clock.hpp"

namespace till::domain {

class IdGenerator {
public:
    explicit IdGenerator(const sdk::Clock& clock);
    ~IdGenerator();
    IdGenerator(const IdGenerator&) = delete;
    IdGenerator& operator=(const IdGenerator&) = delete;

    /// A new UUIDv7 in lower-case text form.
    std::string next();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// True when `text` is a UUID in canonical lower- or upper-case text form.
bool is_uuid_text(const std::string& text) noexcept;

}  // namespace till::domain
