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

/// The lower-case second byte of a two-byte UTF-8 capital letter, or 0:
/// Latin-1 (À..Þ but ×), Greek (Α..Ω) and Cyrillic (А..Я, Ѐ..Џ) capitals,
/// whose small letters are also two bytes.
bool fold_two_bytes(unsigned char lead, unsigned char second, unsigned char& out_lead, unsigned char& out_second) {
    out_lead = lead;
    out_second = second;
    if (lead == 0xC3 && second >= 0x80 && second <= 0x9E && second != 0x97) {  // U+00C0..U+00DE
        out_second = static_cast<unsigned char>(second + 0x20);
        return true;
    }
    if (lead == 0xCE && ((second >= 0x91 && second <= 0xA9 && second != 0xA2))) {  // U+0391..U+03A9
        if (second <= 0x9F) {
            out_second = static_cast<unsigned char>(second + 0x20);  // α..ο: CE B1..CE BF
        } else {
            out_lead = 0xCF;  // π..ω: CF 80..CF 89
            out_second = static_cast<unsigned char>(second - 0x20);
        }
        return true;
    }
    if (lead == 0xD0 && second >= 0x90 && second <= 0x9F) {  // А..П → а..п
        out_second = static_cast<unsigned char>(second + 0x20);
        return true;
    }
    if (lead == 0xD0 && second >= 0xA0 && second <= 0xAF) {  // Р..Я → р..я (D1 80..D1 8F)
        out_lead = 0xD1;
        out_second = static_cast<unsigned char>(second - 0x20);
        return true;
    }
    if (lead == 0xD0 && second >= 0x80 && second <= 0x8F) {  // Ѐ..Џ → ѐ..џ (D1 90..D1 9F)
        out_lead = 0xD1;
        out_second = static_cast<unsigned char>(second + 0x10);
        return true;
    }
    return false;
}

std::vector<std::string> search_words(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        auto c = static_cast<unsigned char>(ch);
        unsigned char lead = 0, second = 0;
        if (c >= 0xC0 && i + 1 < text.size() &&
            fold_two_bytes(c, static_cast<unsigned char>(text[i + 1]), lead, second)) {
            cur += static_cast<char>(lead);
            cur += static_cast<char>(second);
            ++i;
        } else if (is_word_byte(c)) {
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
    ++generation_;
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
    ++generation_;
    dirty_ = true;
}

void SearchIndex::clear() {
    items_.clear();
    free_.clear();
    by_sku_.clear();
    words_.clear();
    order_.reset();
    ++generation_;
    dirty_ = false;
}

void SearchIndex::refresh() { install_order(build_order()); }

std::shared_ptr<const SearchOrder> SearchIndex::build_order() const {
    if (!dirty_) return nullptr;
    auto built = std::make_shared<SearchOrder>();
    built->generation = generation_;
    auto& order = built->order;
    order.reserve(by_sku_.size());
    for (const auto& [sku, id] : by_sku_) order.push_back(id);
    std::sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
        const Item& x = items_[a];
        const Item& y = items_[b];
        if (x.joined != y.joined) return x.joined < y.joined;
        return x.sku < y.sku;
    });
    built->ord_of.assign(items_.size(), 0);
    for (std::uint32_t i = 0; i < order.size(); ++i) built->ord_of[order[i]] = i;
    for (const auto& [word, posting] : words_) {
        auto& ords = built->ords.emplace_hint(built->ords.end(), word, std::vector<std::uint32_t>{})->second;
        ords.reserve(posting.ids.size());
        for (std::uint32_t id : posting.ids) ords.push_back(built->ord_of[id]);
        std::sort(ords.begin(), ords.end());
    }
    return built;
}

std::shared_ptr<const SearchOrder> SearchIndex::install_order(std::shared_ptr<const SearchOrder> order) {
    if (!order || order->generation != generation_) return order;
    std::swap(order_, order);
    dirty_ = false;
    return order;
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
    std::vector<std::string> terms = search_words(query);
    // A term repeated adds nothing; past max_search_terms a query is abuse,
    // not a search (each term costs a walk over the words it prefixes).
    for (std::size_t i = 0; i < terms.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (terms[j] == terms[i]) {
                terms.erase(terms.begin() + static_cast<std::ptrdiff_t>(i--));
                break;
            }
    if (terms.size() > max_search_terms) terms.resize(max_search_terms);
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
    if (!order_) return out;  // fresh and never ordered: the index is empty
    const std::vector<std::uint32_t>& order = order_->order;
    const std::string joined_query = join(terms);
    auto first = std::lower_bound(order.begin(), order.end(), joined_query,
                                  [this](std::uint32_t id, const std::string& q) { return items_[id].joined < q; });
    for (auto it = first; it != order.end() && out.size() < limit; ++it) {
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
        const auto& ords = order_->ords;
        for (auto it = ords.lower_bound(term); it != ords.end() && starts_with(it->first, term); ++it)
            if (!it->second.empty()) list.push_back({it->second.data(), it->second.data() + it->second.size()});
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
        const Item& item = items_[order[target]];
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
