// Realistic sale events for the sync benchmarks: real sales sold through a
// store's API are read back from its outbox and used as templates; each
// instance is the same events with fresh ids (order, lines, payments, stock
// movements), so HQ sees distinct sales with real payloads and totals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench_world.hpp"
#include "domain/common/ids.hpp"

namespace till::bench {

/// One event of a sale instance.
struct SaleEvent {
    std::string type;
    std::string entity_id;
    std::string payload_json;
};

class SaleTemplate {
public:
    /// The events one real sale put in the outbox (the "sale" event and the
    /// others carrying its order id, e.g. stock movements), in order.
    explicit SaleTemplate(const std::vector<CapturedEvent>& group);
    /// The same events with every id of the template replaced by a new one.
    std::vector<SaleEvent> instance(domain::IdGenerator& ids) const;
    std::int64_t total_minor() const noexcept { return total_minor_; }
    std::size_t lines() const noexcept { return lines_; }
    std::size_t events() const noexcept { return events_.size(); }

private:
    struct Piece {
        std::string literal;
        int id_index = -1;  ///< -1: none (last piece)
    };
    struct Event {
        std::string type;
        std::vector<Piece> entity;
        std::vector<Piece> payload;
    };
    static std::vector<Piece> split(const std::string& text, const std::vector<std::string>& ids);
    static std::string join(const std::vector<Piece>& pieces, const std::vector<std::string>& fresh);

    std::vector<std::string> ids_;
    std::vector<Event> events_;
    std::int64_t total_minor_ = 0;
    std::size_t lines_ = 0;
};

/// Splits a store's outbox into one template per sale (events of other
/// kinds not tied to a sale, such as the register session, are left out).
std::vector<SaleTemplate> sale_templates(const std::vector<CapturedEvent>& outbox);

/// Sells `count` sales at `store` (started, sync enabled, connected to HQ),
/// with 5 lines each of varying quantities, and waits until HQ has them.
void sell_template_sales(Store& store, int count);

}  // namespace till::bench
