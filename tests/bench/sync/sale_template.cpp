#include "sale_template.hpp"

#include <set>

namespace till::bench {

namespace {

void add_id(std::vector<std::string>& ids, const std::string& id) {
    if (id.size() < 8) return;  // not an id worth replacing
    for (const auto& known : ids)
        if (known == id) return;
    ids.push_back(id);
}

}  // namespace

SaleTemplate::SaleTemplate(const std::vector<CapturedEvent>& group) {
    for (const auto& e : group) {
        auto parsed = sdk::Value::parse_json(e.payload_json);
        require(parsed.ok(), "outbox payload is not JSON: " + e.payload_json.substr(0, 200));
        const sdk::Value& p = *parsed;
        add_id(ids_, e.entity_id);
        if (e.type == "sale") {
            add_id(ids_, p["order_id"].as_string());
            for (const auto& line : p["lines"].as_list()) add_id(ids_, line["line_id"].as_string());
            for (const auto& pay : p["payments"].as_list()) add_id(ids_, pay["payment_id"].as_string());
            total_minor_ = p["totals"]["total_minor"].as_int(p["total_minor"].as_int(0));
            lines_ = p["lines"].as_list().size();
        }
        for (const char* key : {"movement_id", "payment_id"})
            if (p[key].is_string()) add_id(ids_, p[key].as_string());
    }
    for (const auto& e : group) events_.push_back({e.type, split(e.entity_id, ids_), split(e.payload_json, ids_)});
}

std::vector<SaleTemplate::Piece> SaleTemplate::split(const std::string& text, const std::vector<std::string>& ids) {
    std::vector<Piece> out;
    std::size_t at = 0;
    std::string literal;
    while (at < text.size()) {
        int found = -1;
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (text.compare(at, ids[i].size(), ids[i]) == 0) {
                found = static_cast<int>(i);
                break;
            }
        if (found < 0) {
            literal += text[at++];
            continue;
        }
        out.push_back({std::move(literal), found});
        literal.clear();
        at += ids[static_cast<std::size_t>(found)].size();
    }
    out.push_back({std::move(literal), -1});
    return out;
}

std::string SaleTemplate::join(const std::vector<Piece>& pieces, const std::vector<std::string>& fresh) {
    std::string out;
    for (const auto& p : pieces) {
        out += p.literal;
        if (p.id_index >= 0) out += fresh[static_cast<std::size_t>(p.id_index)];
    }
    return out;
}

std::vector<SaleEvent> SaleTemplate::instance(domain::IdGenerator& ids) const {
    std::vector<std::string> fresh;
    fresh.reserve(ids_.size());
    for (std::size_t i = 0; i < ids_.size(); ++i) fresh.push_back(ids.next());
    std::vector<SaleEvent> out;
    out.reserve(events_.size());
    for (const auto& e : events_) out.push_back({e.type, join(e.entity, fresh), join(e.payload, fresh)});
    return out;
}

std::vector<SaleTemplate> sale_templates(const std::vector<CapturedEvent>& outbox) {
    std::vector<SaleTemplate> out;
    std::set<std::size_t> used;
    for (std::size_t i = 0; i < outbox.size(); ++i) {
        if (outbox[i].type != "sale") continue;
        auto parsed = sdk::Value::parse_json(outbox[i].payload_json);
        require(parsed.ok(), "sale payload is not JSON");
        const std::string order_id = (*parsed)["order_id"].as_string();
        std::vector<CapturedEvent> group;
        for (std::size_t j = 0; j < outbox.size(); ++j) {
            const auto& e = outbox[j];
            const bool ours = j == i || (e.type != "sale" && e.type != "register_session" && e.type != "z_report" &&
                                         !used.count(j) && e.payload_json.find(order_id) != std::string::npos);
            if (!ours) continue;
            used.insert(j);
            group.push_back(e);
        }
        out.emplace_back(group);
    }
    return out;
}

void sell_template_sales(Store& store, int count) {
    store.prepare_cashier();
    const std::vector<std::string> skus{"MUG", "PEN", "TEE", "CAP", "BAG"};
    for (int s = 0; s < count; ++s) {
        std::vector<std::pair<std::string, std::int64_t>> lines;
        for (std::size_t l = 0; l < skus.size(); ++l)
            lines.emplace_back(skus[l], 1000 * static_cast<std::int64_t>(1 + (s + l) % 3));
        store.sell(lines);
    }
    require(wait_until([&] { return store.status()["queue_depth"].as_int() == 0; }, 60000, 100),
            "template sales did not reach HQ");
}

}  // namespace till::bench
