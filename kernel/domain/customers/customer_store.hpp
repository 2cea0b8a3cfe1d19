// Customers and their search terms in the node's database (module
// "domain.customers", SQLite and PostgreSQL). Every function runs on the
// caller's executor, so it takes part in the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/customers/customer_model.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::customers {

/// The schema, in order (storage::apply_migrations(storage, "domain.customers", ...)).
const std::vector<sdk::Migration>& customer_migrations();

/// A search: see CustomerService::search.
struct SearchQuery {
    std::string q;             ///< "" = everyone
    std::int64_t limit = 50;   ///< 1..500
    std::string cursor;        ///< "" = first page; else `next` of the page before
    bool include_inactive = false;
};

struct SearchPage {
    std::vector<Customer> items;
    std::string next;  ///< cursor of the next page; "" when this is the last
};

/// Where a page ends: the sort key and id of its last customer, as an opaque
/// URL-safe text (hex).
std::string encode_cursor(const std::string& sort_name, const std::string& id);
/// False when `cursor` was not made by encode_cursor.
bool decode_cursor(const std::string& cursor, std::string& sort_name, std::string& id);

class CustomerStore {
public:
    explicit CustomerStore(sdk::Dialect dialect) : dialect_(dialect) {}

    enum class Lock { none, for_update };
    /// Whether the email takes part in the uniqueness of emails. `shared`:
    /// a record merged by sync whose email another customer here already
    /// has (created independently on two nodes); it is kept as it came and
    /// found by search, but not unique-indexed.
    enum class EmailKey { unique, shared };
    /// nullopt when there is none. `lock` takes the row for update
    /// (PostgreSQL; SQLite's transactions are already serialised).
    sdk::Result<std::optional<Customer>> find(sdk::SqlExecutor& tx, const std::string& id,
                                              Lock lock = Lock::none) const;
    /// The id of the customer whose email folds to `email_key`, if any.
    sdk::Result<std::optional<std::string>> id_by_email(sdk::SqlExecutor& tx, const std::string& email_key) const;
    /// Inserts the row and its search terms.
    sdk::Status insert(sdk::SqlExecutor& tx, const Customer& customer, EmailKey key = EmailKey::unique) const;
    /// Writes `customer` (version already advanced) when the stored version
    /// is still `expected_version`, and replaces its search terms. False
    /// when the stored version differs (nothing written).
    sdk::Result<bool> update(sdk::SqlExecutor& tx, const Customer& customer, std::int64_t expected_version,
                             EmailKey key = EmailKey::unique) const;
    /// One page ordered by display name (case-folded), then id. Errors:
    /// "bad_request" for a cursor not made by this store.
    sdk::Result<SearchPage> search(sdk::SqlExecutor& sql, const SearchQuery& query) const;

private:
    sdk::Status write_terms(sdk::SqlExecutor& tx, const Customer& customer) const;
    sdk::Dialect dialect_;
};

}  // namespace till::domain::customers
