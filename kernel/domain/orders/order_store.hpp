// Orders and their lines in the node's database (module "domain.orders",
// SQLite and PostgreSQL). Every function runs on the caller's executor, so
// it takes part in the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/orders/order_model.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::orders {

/// The schema, in order (storage::apply_migrations(storage, "domain.orders", ...)).
const std::vector<sdk::Migration>& order_migrations();

class OrderStore {
public:
    explicit OrderStore(sdk::Dialect dialect) : dialect_(dialect) {}

    /// The order with its lines; nullopt when there is none. `lock` takes the
    /// order row for update (PostgreSQL; SQLite's transactions are already
    /// serialised).
    enum class Lock { none, for_update };
    sdk::Result<std::optional<Order>> load(sdk::SqlExecutor& tx, const std::string& order_id,
                                           Lock lock = Lock::none) const;
    sdk::Status insert(sdk::SqlExecutor& tx, const Order& order) const;
    /// Writes what differs between `before` (as loaded) and `after`: the
    /// order row, new, changed and deleted lines.
    sdk::Status save(sdk::SqlExecutor& tx, const Order& before, const Order& after) const;

    struct ListQuery {
        std::string state;       ///< "" = any
        std::string session_id;  ///< "" = any; matches the opening or the settling session
        std::string after_id;    ///< cursor: orders older than this id
        int limit = 50;
    };
    /// Newest first, with their lines.
    sdk::Result<std::vector<Order>> list(sdk::SqlExecutor& tx, const ListQuery& query) const;
    /// Lines of return orders (not voided) that return `original_order_id`'s
    /// lines, with the state of the return order they belong to.
    struct ReturnedLine {
        std::string return_order_id;
        State return_state = State::open;
        OrderLine line;
    };
    sdk::Result<std::vector<ReturnedLine>> returned_lines(sdk::SqlExecutor& tx,
                                                          const std::string& original_order_id) const;

private:
    sdk::Dialect dialect_;
};

}  // namespace till::domain::orders
