#include "domain/catalog/search_index.hpp"

#include <algorithm>

namespace till::domain::catalog {
namespace {

bool is_word_byte(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

}  // namespace

std::vector<std::string> search_words(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (is_word_byte(c)) {
            cur += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch;
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

void SearchIndex::unlink(std::uint32_t id) {
    Item& item = items_[id];
    for (const auto& w : item.words) {
        auto it = words_.find(w);
        if (it == words_.end()) continue;
        auto& ids = it->second.ids;
        auto pos = std::find(ids.begin(), ids.end(), id);
        if (pos != ids.end()) {
            *pos = ids.back();
            ids.pop_back();
        }
        if (ids.empty()) words_.erase(it);
    }
    item.words.clear();
}

void SearchIndex::put(const std::string& sku, std::string_view name, bool active) {
    std::uint32_t id;
    auto found = by_sku_.find(sku);
    if (found != by_sku_.end()) {
        id = found->second;
        unlink(id);
    } else {
        if (!free_.empty()) {
            id = free_.back();
            free_.pop_back();
        } else {
            id = static_cast<std::uint32_t>(items_.size());
            items_.emplace_back();
        }
        by_sku_.emplace(sku, id);
    }
    Item& item = items_[id];
    item.sku = sku;
    item.words = search_words(name);
    item.joined = join(item.words);
    item.active = active;
    item.used = true;
    // A word that appears twice in one name is linked once.
    std::vector<std::string> distinct = item.words;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (const auto& w : distinct) words_[w].ids.push_back(id);
    dirty_ = true;
}

void SearchIndex::remove(const std::string& sku) {
    auto found = by_sku_.find(sku);
    if (found == by_sku_.end()) return;
    std::uint32_t id = found->second;
    unlink(id);
    items_[id] = Item{};
    free_.push_back(id);
    by_sku_.erase(found);
    dirty_ = true;
}

void SearchIndex::clear() {
    items_.clear();
    free_.clear();
    by_sku_.clear();
    words_.clear();
    order_.clear();
    dirty_ = false;
}

void SearchIndex::refresh() {
    if (!dirty_) return;
    order_.clear();
    order_.reserve(by_sku_.size());
    for (const auto& [sku, id] : by_sku_) order_.push_back(id);
    std::sort(order_.begin(), order_.end(), [this](std::uint32_t a, std::uint32_t b) {
        const Item& x = items_[a];
        const Item& y = items_[b];
        if (x.joined != y.joined) return x.joined < y.joined;
        return x.sku < y.sku;
    });
    for (std::uint32_t i = 0; i < order_.size(); ++i) items_[order_[i]].ord = i;
    for (auto& [word, posting] : words_) {
        posting.ords.clear();
        posting.ords.reserve(posting.ids.size());
        for (std::uint32_t id : posting.ids) posting.ords.push_back(items_[id].ord);
        std::sort(posting.ords.begin(), posting.ords.end());
    }
    dirty_ = false;
}

bool SearchIndex::matches_all(const Item& item, const std::vector<std::string>& terms, std::size_t skip) const {
    for (std::size_t t = 0; t < terms.size(); ++t) {
        if (t == skip) continue;
        bool any = false;
        for (const auto& w : item.words)
            if (starts_with(w, terms[t])) {
                any = true;
                break;
            }
        if (!any) return false;
    }
    return true;
}

std::vector<std::string> SearchIndex::match_name(std::string_view query, std::size_t limit,
                                                 bool include_inactive) const {
    const std::vector<std::string> terms = search_words(query);
    if (terms.empty() || limit == 0) return {};
    // Drive from the term with the fewest candidates.
    std::size_t driver = 0;
    std::size_t fewest = static_cast<std::size_t>(-1);
    for (std::size_t i = 0; i < terms.size(); ++i) {
        std::size_t count = 0;
        for (auto it = words_.lower_bound(terms[i]); it != words_.end() && starts_with(it->first, terms[i]); ++it)
            count += it->second.ids.size();
        if (count < fewest) {
            fewest = count;
            driver = i;
        }
    }
    if (fewest == 0) return {};
    return dirty_ ? match_sorted(terms, driver, limit, include_inactive)
                  : match_ordered(terms, driver, limit, include_inactive);
}

// Fresh index: names that start with the query come as one range of the name
// order; the others by merging the driver's postings (each in name order)
// until `limit` matches are found.
std::vector<std::string> SearchIndex::match_ordered(const std::vector<std::string>& terms, std::size_t driver,
                                                    std::size_t limit, bool include_inactive) const {
    std::vector<std::string> out;
    const std::string joined_query = join(terms);
    auto first = std::lower_bound(order_.begin(), order_.end(), joined_query,
                                  [this](std::uint32_t id, const std::string& q) { return items_[id].joined < q; });
    for (auto it = first; it != order_.end() && out.size() < limit; ++it) {
        const Item& item = items_[*it];
        if (!starts_with(item.joined, joined_query)) break;
        if (item.active || include_inactive) out.push_back(item.sku);
    }
    if (out.size() >= limit) return out;

    // Leapfrog over the terms' postings (ascending name order): each term is
    // the union of the postings of the words it prefixes; jump every term to
    // the largest position seen until all agree, which is a match.
    constexpr std::uint32_t none = static_cast<std::uint32_t>(-1);
    struct Span {
        const std::uint32_t* at;
        const std::uint32_t* end;
    };
    std::vector<std::vector<Span>> spans;
    spans.reserve(terms.size());
    auto add_term = [&](const std::string& term) {
        std::vector<Span> list;
        for (auto it = words_.lower_bound(term); it != words_.end() && starts_with(it->first, term); ++it)
            if (!it->second.ords.empty())
                list.push_back({it->second.ords.data(), it->second.ords.data() + it->second.ords.size()});
        spans.push_back(std::move(list));
    };
    add_term(terms[driver]);  // the most selective first
    for (std::size_t t = 0; t < terms.size(); ++t)
        if (t != driver) add_term(terms[t]);
    auto seek = [none](std::vector<Span>& term, std::uint32_t target) {
        std::uint32_t best = none;
        for (auto& s : term) {
            // Gallop from the current position, then binary search.
            std::size_t step = 1;
            const std::uint32_t* lo = s.at;
            while (lo + step < s.end && lo[step] < target) {
                lo += step;
                step *= 2;
            }
            s.at = std::lower_bound(lo, std::min(lo + step + 1, s.end), target);
            if (s.at != s.end && *s.at < best) best = *s.at;
        }
        return best;
    };
    std::uint32_t target = 0;
    while (out.size() < limit) {
        std::uint32_t first_hit = seek(spans[0], target);
        if (first_hit == none) break;
        target = first_hit;
        bool agreed = true;
        bool exhausted = false;
        for (std::size_t t = 1; t < spans.size(); ++t) {
            std::uint32_t v = seek(spans[t], target);
            if (v == none) {
                exhausted = true;
                break;
            }
            if (v != target) {
                target = v;
                agreed = false;
                break;
            }
        }
        if (exhausted) break;
        if (!agreed) continue;
        const Item& item = items_[order_[target]];
        if ((item.active || include_inactive) && !starts_with(item.joined, joined_query)) out.push_back(item.sku);
        ++target;
    }
    return out;
}

// Changed since the last refresh(): collect every candidate and sort.
std::vector<std::string> SearchIndex::match_sorted(const std::vector<std::string>& terms, std::size_t driver,
                                                   std::size_t limit, bool include_inactive) const {
    const std::string& lead = terms[driver];
    std::vector<std::uint32_t> candidates;
    for (auto it = words_.lower_bound(lead); it != words_.end() && starts_with(it->first, lead); ++it)
        candidates.insert(candidates.end(), it->second.ids.begin(), it->second.ids.end());
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    const std::string joined_query = join(terms);
    struct Hit {
        int rank;
        const Item* item;
    };
    std::vector<Hit> hits;
    for (std::uint32_t id : candidates) {
        const Item& item = items_[id];
        if (!item.used || (!item.active && !include_inactive)) continue;
        if (!matches_all(item, terms, driver)) continue;
        hits.push_back({starts_with(item.joined, joined_query) ? 0 : 1, &item});
    }
    auto better = [](const Hit& a, const Hit& b) {
        if (a.rank != b.rank) return a.rank < b.rank;
        if (a.item->joined != b.item->joined) return a.item->joined < b.item->joined;
        return a.item->sku < b.item->sku;
    };
    const std::size_t n = std::min(limit, hits.size());
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), hits.end(), better);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(hits[i].item->sku);
    return out;
}

}  // namespace till::domain::catalog
