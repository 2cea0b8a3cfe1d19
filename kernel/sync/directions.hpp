// Which way each change type travels (docs/sync.md, "Directions"), and which
// ones are pushed at once.
#pragma once

#include <string_view>

namespace till::sync {

enum class Direction {
    up,       ///< store → HQ (sales, refunds, voids, sessions, cash, Z, stock)
    both,     ///< both sides write; merged by the conflict policies (customers)
    down,     ///< HQ → store (master data)
    unknown,  ///< not a change type of wire format 1
};

Direction direction_of(std::string_view type) noexcept;

/// z_report, register_session, void, refund: pushed at once after commit.
bool is_high_priority_type(std::string_view type) noexcept;

}  // namespace till::sync
