#include "sync/directions.hpp"

#include "domain/common/replication.hpp"

namespace till::sync {

namespace ct = domain::change_type;

Direction direction_of(std::string_view type) noexcept {
    if (type == ct::sale || type == ct::refund || type == ct::order_void || type == ct::register_session ||
        type == ct::cash_movement || type == ct::z_report || type == ct::stock_movement)
        return Direction::up;
    if (type == ct::customer || type == ct::transfer) return Direction::both;
    if (type == ct::department || type == ct::tax_class || type == ct::modifier_group || type == ct::product ||
        type == ct::user || type == ct::role)
        return Direction::down;
    return Direction::unknown;
}

bool is_high_priority_type(std::string_view type) noexcept {
    return type == ct::z_report || type == ct::register_session || type == ct::order_void || type == ct::refund;
}

}  // namespace till::sync
