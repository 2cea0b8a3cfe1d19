// The in-memory name index behind catalog search: every sellable item (by
// SKU) with the words of its name, and a sorted map from each word to the
// items that carry it. A query matches an item when every query word is a
// prefix of some word of the item's name (case-insensitive for ASCII and for
// the Latin-1, Greek and Cyrillic capitals; other bytes compared as they
// are). Words are split at every ASCII character that is not a letter or
// digit ("T-shirt" → "t", "shirt"). A query's repeated words count once; it
// uses at most max_search_terms words (the first ones).
//
// Not thread-safe: the CatalogIndex that owns it guards it. The const
// methods (searches and build_order) only read, so they may run together.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace till::domain::catalog {

inline constexpr std::size_t max_search_terms = 8;

/// Lower-cased words of `text` (see above).
std::vector<std::string> search_words(std::string_view text);

/// The name order of an index at one generation (built by
/// SearchIndex::build_order, installed by install_order).
struct SearchOrder {
    std::uint64_t generation = 0;       ///< of the index it was built from
    std::vector<std::uint32_t> order;   ///< item ids by (joined name, SKU)
    std::vector<std::uint32_t> ord_of;  ///< item id → position in `order`
    /// For each word, the positions of the items that carry it, ascending.
    std::map<std::string, std::vector<std::uint32_t>, std::less<>> ords;
};

class SearchIndex {
public:
    /// Adds the item `sku` or replaces its name/active flag.
    void put(const std::string& sku, std::string_view name, bool active);
    void remove(const std::string& sku);
    void clear();
    std::size_t size() const noexcept { return by_sku_.size(); }

    /// Re-establishes the name order after put/remove (O(n log n)); until
    /// then match_name takes a slower path that sorts its candidates. Call
    /// once after a batch of changes. Same as install_order(build_order()).
    void refresh();
    bool fresh() const noexcept { return !dirty_; }

    /// The name order of the index as it is now (O(n log n): about 100 ms at
    /// 50,000 items). Only reads, so it may run while searches run, which
    /// lets the owner rebuild the order outside its write lock. nullptr when
    /// the index is fresh already.
    std::shared_ptr<const SearchOrder> build_order() const;
    /// Makes `order` the index's name order if no put/remove happened since
    /// it was built (then the index is fresh); otherwise ignores it and the
    /// index stays on the slower path. O(1). Returns the order it replaced
    /// (or `order` when ignored), so the caller can free it outside its lock.
    std::shared_ptr<const SearchOrder> install_order(std::shared_ptr<const SearchOrder> order);

    /// SKUs of the items whose name matches `query`, best first: names that
    /// start with the query's words in order, then the others; ties by name,
    /// then SKU. At most `limit`.
    std::vector<std::string> match_name(std::string_view query, std::size_t limit, bool include_inactive) const;

private:
    struct Item {
        std::string sku;
        std::string joined;  ///< the words joined by one space (for ranking)
        std::vector<std::string> words;
        bool active = true;
        bool used = false;
    };
    void unlink(std::uint32_t id);
    std::vector<std::string> match_sorted(const std::vector<std::string>& terms, std::size_t driver,
                                          std::size_t limit, bool include_inactive) const;
    std::vector<std::string> match_ordered(const std::vector<std::string>& terms, std::size_t driver,
                                           std::size_t limit, bool include_inactive) const;
    bool matches_all(const Item& item, const std::vector<std::string>& terms, std::size_t skip) const;

    std::vector<Item> items_;
    std::vector<std::uint32_t> free_;
    std::unordered_map<std::string, std::uint32_t> by_sku_;
    struct Posting {
        std::vector<std::uint32_t> ids;  ///< items with the word
    };
    std::map<std::string, Posting, std::less<>> words_;
    std::shared_ptr<const SearchOrder> order_;  ///< valid when fresh
    std::uint64_t generation_ = 0;              ///< bumped by every put/remove/clear
    bool dirty_ = false;
};

}  // namespace till::domain::catalog
