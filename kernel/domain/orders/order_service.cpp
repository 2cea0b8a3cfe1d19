// OrderService: construction, loading, committing a change, opening and
// listing orders, and running order type hooks.
#include "domain/orders/order_service.hpp"

#include <exception>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/orders/order_pricing.hpp"
#include "domain/orders/order_state.hpp"
#include "domain/orders/service_detail.hpp"
#include "storage/migrations.hpp"

namespace till::domain {

using namespace orders;

OrderService::OrderService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, const CatalogLookup& catalog,
                           StockLedger& stock, RegisterLookup& registers)
    : ctx_(ctx),
      authorizer_(authorizer),
      audit_(audit),
      catalog_(catalog),
      stock_(stock),
      registers_(registers),
      store_(ctx.storage.dialect()) {}

OrderService::~OrderService() = default;

sdk::Status OrderService::start() {
    return storage::apply_migrations(ctx_.storage, "domain.orders", order_migrations());
}

bool OrderService::keeps_paid_open(const std::string& order_type_id) { return order_type_id == "quickservice"; }

sdk::Result<Order> OrderService::load_current(const std::string& order_id) {
    auto loaded = store_.load(ctx_.storage, order_id);
    if (!loaded) return loaded.error();
    if (!*loaded) return detail::not_found(order_id);
    return std::move(**loaded);
}

sdk::Result<Order> OrderService::get(const std::string& order_id) { return load_current(order_id); }

sdk::Result<std::shared_ptr<sdk::OrderType>> OrderService::order_type(const std::string& id,
                                                                      const std::string& path) const {
    auto type = ctx_.registry.order_type(id);
    if (type) return type;
    if (path.empty())
        return sdk::Error{std::string(error_code::unavailable),
                          "order type " + id + " is not loaded (its plugin is not running)"};
    std::string known;
    for (const auto& k : ctx_.registry.order_type_ids()) known += (known.empty() ? "" : ", ") + k;
    return invalid_field(path, "unknown order type \"" + id + "\"" + (known.empty() ? "" : " (known: " + known + ")"));
}

sdk::Status OrderService::apply_hook(const char* hook, const sdk::HookResult& result, Order& order, bool may_refuse) {
    if (!result.status.ok()) {
        if (may_refuse) {
            std::string code = result.status.error().code;
            if (http_status_for(code) == 500) code = std::string(error_code::invalid_state);
            return sdk::Error{code, "order type " + order.order_type_id + " refused (" + hook +
                                        "): " + result.status.message()};
        }
        ctx_.logger->warn("order " + order.order_id + ": order type " + order.order_type_id + " " + hook +
                          " refused after the fact: " + result.status.message());
    }
    if (result.set_fields.is_map()) {
        if (!order.fields.is_map()) order.fields = sdk::Value::map();
        for (const auto& [k, v] : result.set_fields.as_map()) order.fields.set(k, v);
    }
    return {};
}

sdk::Status OrderService::assign_customer(Order& order, const std::string& customer_id) {
    order.customer_id = customer_id;
    order.tax_exempt = false;
    if (customer_id.empty() || !customers_) return {};
    auto found = customers_->find_customer(ctx_.storage, customer_id);
    if (!found) return found.status();
    if (!*found) return invalid_field("$.customer_id", "no customer " + customer_id);
    if (!(*found)->active) return invalid_field("$.customer_id", "customer " + customer_id + " is deactivated");
    order.tax_exempt = (*found)->tax_exempt;
    return {};
}

void OrderService::publish(const std::string& topic, const Order& order) {
    try {
        ctx_.events.publish(topic, order_to_json(order));
    } catch (const std::exception& e) {
        ctx_.logger->error("publishing " + topic + " failed: " + e.what());
    }
}

sdk::Result<Order> OrderService::commit(const Order& before, Order after, const std::vector<AuditEntry>& audits,
                                        const std::string& topic, Durability durability,
                                        std::string_view replicate_as) {
    after.version = before.version + 1;
    // A cart edit is a draft: committed without forcing the disk (it
    // survives a crash of the process; the sale's settlement, forced to
    // disk, carries everything before it). An audited step is kept like money.
    const bool draft = audits.empty() && (durability == Durability::bookkeeping || after.state == State::open ||
                                           after.state == State::submitted);
    auto work = [&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto current = store_.load(tx, before.order_id, OrderStore::Lock::for_update);
        if (!current) return current.status();
        if (!*current) return detail::not_found(before.order_id);
        // Every change bumps the version, so an equal version means the
        // order is exactly as `before` was read: the change still applies.
        if (auto s = detail::check_version(**current, before.version); !s.ok()) return s;
        if (auto s = store_.save(tx, **current, after); !s.ok()) return s;
        for (const auto& a : audits)
            if (auto s = audit_.append(tx, a); !s.ok()) return s;
        if (!replicate_as.empty()) return replicate(tx, after, replicate_as);
        return {};
    };
    auto done = draft ? ctx_.storage.relaxed_transaction(work) : ctx_.storage.transaction(work);
    if (!done.ok()) return done.error();
    if (!replicate_as.empty() && replicate_as != change_type::sale) ctx_.replication.committed_high_priority();
    publish(topic, after);
    return after;
}

sdk::Result<Order> OrderService::open_order(const Authorization& by, const OpenOrderRequest& request) {
    auto type = order_type(request.order_type_id, "$.order_type");
    if (!type) return type.error();
    sdk::Value fields = request.fields.is_map() ? request.fields : sdk::Value::map();
    sdk::Status valid;
    try {
        valid = (*type)->validate_fields(fields);
    } catch (const std::exception& e) {
        valid = sdk::Status::failure("invalid_argument", std::string("validate_fields threw: ") + e.what());
    }
    if (!valid.ok()) {
        const auto& m = valid.message();
        if (!m.empty() && m[0] == '$') return sdk::Error{std::string(error_code::invalid_argument), m};
        return invalid_field("$.fields", m);
    }
    Order o;
    o.order_id = ctx_.ids.next();
    o.order_type_id = request.order_type_id;
    o.state = State::open;
    o.version = 1;
    o.currency = ctx_.sales.currency;
    if (auto s = assign_customer(o, request.customer_id); !s.ok()) return s.error();
    o.fields = fields;
    o.terminal_id = by.principal.terminal_id;
    o.user_id = by.principal.user_id;
    o.opened_utc_ms = ctx_.clock.now_utc_ms();
    auto done = ctx_.storage.relaxed_transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        if (!o.terminal_id.empty()) {
            auto session = registers_.open_session(tx, o.terminal_id);
            if (!session) return session.status();
            o.register_session_id = session->value_or("");
        }
        return store_.insert(tx, o);
    });
    if (!done.ok()) return done.error();
    publish("order.opened", o);
    return o;
}

sdk::Result<OrderService::ListPage> OrderService::list(const ListQuery& query) {
    OrderStore::ListQuery q;
    q.state = query.state;
    q.session_id = query.session_id;
    q.after_id = query.cursor;
    q.limit = query.limit + 1;
    auto rows = store_.list(ctx_.storage, q);
    if (!rows) return rows.error();
    ListPage page;
    page.items = std::move(*rows);
    if (static_cast<int>(page.items.size()) > query.limit) {
        page.items.resize(static_cast<std::size_t>(query.limit));
        page.next = page.items.back().order_id;
    }
    return page;
}

}  // namespace till::domain
