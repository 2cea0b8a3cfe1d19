// The in-memory name index behind catalog search: every sellable item (by
// SKU) with the words of its name, and a sorted map from each word to the
// items that carry it. A query matches an item when every query word is a
// prefix of some word of the item's name (case-insensitive for ASCII; other
// bytes compared as they are). Words are split at every ASCII character that
// is not a letter or digit ("T-shirt" → "t", "shirt").
//
// Not thread-safe: the CatalogIndex that owns it guards it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace till::domain::catalog {

/// Lower-cased words of `text` (see above).
std::vector<std::string> search_words(std::string_view text);

class SearchIndex {
public:
    /// Adds the item `sku` or replaces its name/active flag.
    void put(const std::string& sku, std::string_view name, bool active);
    void remove(const std::string& sku);
    void clear();
    std::size_t size() const noexcept { return by_sku_.size(); }

    /// Re-establishes the name order after put/remove (O(n log n)); until
    /// then match_name takes a slower path that sorts its candidates. Call
    /// once after a batch of changes.
    void refresh();
    bool fresh() const noexcept { return !dirty_; }

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
        std::uint32_t ord = 0;  ///< position in name order (valid when fresh)
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
        std::vector<std::uint32_t> ids;   ///< items with the word
        std::vector<std::uint32_t> ords;  ///< their `ord`s, ascending (valid when fresh)
    };
    std::map<std::string, Posting, std::less<>> words_;
    std::vector<std::uint32_t> order_;  ///< item ids by (joined name, SKU) when fresh
    bool dirty_ = false;
};

}  // namespace till::domain::catalog
