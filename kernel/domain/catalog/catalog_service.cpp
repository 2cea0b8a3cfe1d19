#include "domain/catalog/catalog_service.hpp"

#include <algorithm>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_set>

#include "domain/catalog/catalog_json.hpp"
#include "domain/catalog/catalog_replica.hpp"
#include "domain/catalog/catalog_routes.hpp"
#include "domain/catalog/catalog_store.hpp"
#include "domain/catalog/claims.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "storage/migrations.hpp"

namespace till::domain::catalog {
namespace {

using sdk::Value;

sdk::Error conflict(const std::string& path, const std::string& message) {
    return sdk::Error{std::string(error_code::conflict), path + ": " + message};
}

sdk::Error not_found(const std::string& what, const std::string& id) {
    return sdk::Error{std::string(error_code::not_found), "no " + what + " with id " + id};
}

/// From this many changed products on, an import prepares a copy of the
/// index instead of changing it in place under the lock.
constexpr std::size_t kBulkChange = 200;

std::string index_path(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

Value deleted_payload(const char* key, const std::string& id) {
    Value v = Value::map();
    v.set(key, id);
    v.set("deleted", true);
    return v;
}

}  // namespace

Actor Actor::from(const Authorization& a) {
    return Actor{a.principal.user_id, a.principal.terminal_id, a.override_user_id, a.override_reason};
}

struct CatalogService::Impl {
    DomainContext& ctx;
    Authorizer& authorizer;
    AuditLog& audit;
    mutable std::shared_mutex index_mutex;  ///< guards `index` (readers share)
    CatalogIndex index;
    std::mutex write_mutex;  ///< one change at a time; a writer may read `index` without index_mutex

    Impl(DomainContext& c, Authorizer& a, AuditLog& l) : ctx(c), authorizer(a), audit(l) {}

    std::function<void()> rebuild_hook;  ///< see on_index_rebuild

    /// Applies `fn` (a few puts/erases: microseconds) under the exclusive
    /// lock, then rebuilds the search order (about 100 ms at 50,000 SKUs)
    /// outside it and swaps it in. Only writers change `index`, one at a
    /// time (the caller holds write_mutex), so reading it while rebuilding is
    /// safe next to readers; searches meanwhile take the sorting path.
    template <class Fn>
    void update_index(Fn&& fn) {
        {
            std::unique_lock lock(index_mutex);
            fn(index);
        }
        auto order = index.build_search_order();
        if (rebuild_hook) rebuild_hook();
        std::shared_ptr<const SearchOrder> old;
        {
            std::unique_lock lock(index_mutex);
            old = index.install_search_order(std::move(order));
        }
        // `old` (the previous order, megabytes at 50,000 SKUs) is freed here, outside the lock.
    }

    /// For a bulk change (an import of many products): applies `fn` to a
    /// copy of the index and orders it, both outside the lock, then swaps
    /// the copy in. Lookups see the old catalog until the swap, then the
    /// new one. The caller holds write_mutex.
    template <class Fn>
    void replace_index(Fn&& fn) {
        CatalogIndex next = index;
        fn(next);
        next.install_search_order(next.build_search_order());
        if (rebuild_hook) rebuild_hook();
        {
            std::unique_lock lock(index_mutex);
            std::swap(index, next);
        }
        // `next` (the old catalog) is freed here, outside the lock.
    }

    void publish(std::string_view topic, Value payload) { ctx.events.publish(topic, std::move(payload)); }

    /// Records the change for sync in the caller's transaction `tx`.
    sdk::Status replicate(sdk::SqlExecutor& tx, std::string_view type, const std::string& id, Value payload) {
        return ctx.replication.append(tx, ReplicatedChange{std::string(type), id, std::move(payload), false});
    }

    /// Writes master data pulled from HQ (catalog_replica.hpp); after the
    /// engine's commit, brings the index up to date and publishes.
    struct Applier final : ReplicaApplier {
        Impl& m;
        explicit Applier(Impl& impl) : m(impl) {}
        sdk::Result<Value> apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) override {
            return apply_catalog_replica(tx, change);
        }
        void after_commit(const std::vector<ReplicatedChange>& changes) override { m.absorb(changes); }
    };
    Applier applier{*this};

    /// Puts committed replicated changes into the index, then publishes them
    /// as a local change would be.
    void absorb(const std::vector<ReplicatedChange>& changes) {
        std::lock_guard write(write_mutex);
        std::vector<std::pair<std::string, Value>> events;
        auto apply = [&](CatalogIndex& idx) {
            for (const auto& c : changes) {
                const bool gone = is_replica_deletion(c.payload);
                const std::string id = gone ? c.payload["id"].as_string() : std::string();
                if (c.type == change_type::department) {
                    if (gone) {
                        idx.erase_department(id);
                        events.emplace_back("catalog.department_changed", deleted_payload("department_id", id));
                    } else if (auto d = department_from_replica(c.payload)) {
                        idx.put_department(*d);
                        events.emplace_back("catalog.department_changed", to_value(*d));
                    }
                } else if (c.type == change_type::tax_class) {
                    if (gone) {
                        idx.erase_tax_class(id);
                        events.emplace_back("catalog.tax_class_changed", deleted_payload("tax_class_id", id));
                    } else if (auto t = tax_class_from_replica(c.payload)) {
                        idx.put_tax_class(*t);
                        events.emplace_back("catalog.tax_class_changed", to_value(*t));
                    }
                } else if (c.type == change_type::modifier_group) {
                    if (gone) {
                        idx.erase_group(id);
                        events.emplace_back("catalog.modifier_group_changed", deleted_payload("group_id", id));
                    } else if (auto g = group_from_replica(c.payload)) {
                        idx.put_group(*g);
                        events.emplace_back("catalog.modifier_group_changed", to_value(*g));
                    }
                } else if (c.type == change_type::product) {
                    if (gone) {
                        Value payload = deleted_payload("product_id", id);
                        if (const Product* p = idx.product(id)) payload.set("sku", p->sku);
                        idx.erase_product(id);
                        events.emplace_back("catalog.product_changed", std::move(payload));
                    } else if (auto p = product_from_replica(c.payload)) {
                        idx.put_product(*p);
                        events.emplace_back("catalog.product_changed", to_value(*p));
                    }
                }
            }
        };
        if (changes.size() >= kBulkChange) replace_index(apply);
        else update_index(apply);
        for (auto& [topic, payload] : events) publish(topic, std::move(payload));
    }

    sdk::Status audit_price(sdk::SqlExecutor& tx, const Actor& by, const std::string& subject, const std::string& sku,
                            std::int64_t old_minor, std::int64_t new_minor) {
        AuditEntry e;
        e.actor_user_id = by.user_id;
        e.action = "catalog.price_changed";
        e.subject = subject;
        e.reason = by.reason;
        e.authorized_by = by.authorized_by;
        e.terminal_id = by.terminal_id;
        Value d = Value::map();
        d.set("sku", sku);
        d.set("old_price_minor", static_cast<long long>(old_minor));
        d.set("new_price_minor", static_cast<long long>(new_minor));
        e.details = std::move(d);
        return audit.append(tx, e);
    }

    sdk::Status audit_prices(sdk::SqlExecutor& tx, const Actor& by, const Product* before, const Product& after) {
        if (!before) return {};
        if (before->price_minor != after.price_minor)
            if (auto s = audit_price(tx, by, "product:" + after.product_id, after.sku, before->price_minor,
                                     after.price_minor);
                !s.ok())
                return s;
        for (const auto& v : after.variants)
            for (const auto& old : before->variants)
                if (old.variant_id == v.variant_id && old.price_minor != v.price_minor)
                    if (auto s = audit_price(tx, by, "variant:" + v.variant_id, v.sku, old.price_minor, v.price_minor);
                        !s.ok())
                        return s;
        return {};
    }

    /// Resolves references, assigns ids and checks uniqueness for `p`, the
    /// new state of `before` (nullptr for a new product). Caller holds write_mutex.
    sdk::Status prepare_product(Product& p, const Product* before) {
        if (const Department* d = index.department(p.department_id)) p.department_id = d->department_id;
        else if (const Department* dc = index.department_by_code(p.department_id)) p.department_id = dc->department_id;
        else return invalid_field("$.department_id", "unknown department '" + p.department_id + "'");
        if (const TaxClass* t = index.tax_class(p.tax_class_id)) p.tax_class_id = t->tax_class_id;
        else if (const TaxClass* tc = index.tax_class_by_code(p.tax_class_id)) p.tax_class_id = tc->tax_class_id;
        else return invalid_field("$.tax_class_id", "unknown tax class '" + p.tax_class_id + "'");
        for (std::size_t i = 0; i < p.modifier_group_ids.size(); ++i) {
            std::string& g = p.modifier_group_ids[i];
            if (const ModifierGroup* mg = index.group(g)) g = mg->group_id;
            else if (const ModifierGroup* mc = index.group_by_code(g)) g = mc->group_id;
            else return invalid_field(index_path("$.modifier_group_ids", i), "unknown modifier group '" + g + "'");
            for (std::size_t j = 0; j < i; ++j)
                if (p.modifier_group_ids[j] == g)
                    return invalid_field(index_path("$.modifier_group_ids", i), "modifier group listed twice");
        }
        std::unordered_set<std::string> variant_ids;
        for (std::size_t i = 0; i < p.variants.size(); ++i) {
            Variant& v = p.variants[i];
            const std::string path = index_path("$.variants", i);
            if (!v.variant_id.empty()) {
                bool known = before && std::any_of(before->variants.begin(), before->variants.end(),
                                                   [&](const Variant& o) { return o.variant_id == v.variant_id; });
                if (!known) return invalid_field(path + ".variant_id", "not a variant of this product");
            } else if (before) {
                for (const auto& o : before->variants)
                    if (o.sku == v.sku && !variant_ids.count(o.variant_id)) v.variant_id = o.variant_id;
            }
            if (v.variant_id.empty()) v.variant_id = ctx.ids.next();
            if (!variant_ids.insert(v.variant_id).second)
                return invalid_field(path + ".variant_id", "variant listed twice");
        }
        std::unordered_set<std::string> replaced;
        if (before) replaced.insert(before->product_id);
        Claims claims(index, std::move(replaced));
        if (auto prob = claims.claim_sku(p.sku, "$.sku"); !prob.empty()) return conflict("$.sku", prob);
        for (std::size_t i = 0; i < p.barcodes.size(); ++i) {
            const std::string path = index_path("$.barcodes", i);
            if (auto prob = claims.claim_barcode(p.barcodes[i], path, p.sku); !prob.empty()) return conflict(path, prob);
        }
        for (std::size_t i = 0; i < p.variants.size(); ++i) {
            const std::string path = index_path("$.variants", i);
            if (auto prob = claims.claim_sku(p.variants[i].sku, path + ".sku"); !prob.empty())
                return conflict(path + ".sku", prob);
            for (std::size_t j = 0; j < p.variants[i].barcodes.size(); ++j) {
                const std::string bpath = index_path(path + ".barcodes", j);
                if (auto prob = claims.claim_barcode(p.variants[i].barcodes[j], bpath, p.variants[i].sku);
                    !prob.empty())
                    return conflict(bpath, prob);
            }
        }
        p.product_id = before ? before->product_id : ctx.ids.next();
        p.updated_utc_ms = ctx.clock.now_utc_ms();
        return {};
    }

    /// Keeps the ids of rates/modifiers that name an existing one of `known`;
    /// gives the others new ids.
    template <class Item>
    sdk::Status keep_ids(std::vector<Item>& items, const std::vector<Item>* known, std::string Item::*id_of,
                         const std::string& base, const char* what) {
        std::unordered_set<std::string> seen;
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::string& id = items[i].*id_of;
            const std::string path = index_path(base, i) + "." + (std::string(what) == "tax rate" ? "tax_rate_id" : "modifier_id");
            if (!id.empty()) {
                bool ok = known && std::any_of(known->begin(), known->end(), [&](const Item& k) { return k.*id_of == id; });
                if (!ok) return invalid_field(path, std::string("not a ") + what + " of this one");
            } else {
                id = ctx.ids.next();
            }
            if (!seen.insert(id).second) return invalid_field(path, std::string(what) + " listed twice");
        }
        return {};
    }
};

CatalogService::CatalogService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit)
    : impl_(std::make_unique<Impl>(ctx, authorizer, audit)) {}

CatalogService::~CatalogService() = default;

sdk::Status CatalogService::start() {
    if (auto s = storage::apply_migrations(impl_->ctx.storage, "domain.catalog", catalog_migrations()); !s.ok()) return s;
    CatalogIndex fresh;
    if (auto s = load_catalog(impl_->ctx.storage, fresh); !s.ok()) return s;
    std::lock_guard write(impl_->write_mutex);
    impl_->update_index([&](CatalogIndex& idx) { idx = std::move(fresh); });
    return {};
}

void CatalogService::on_index_rebuild(std::function<void()> hook) { impl_->rebuild_hook = std::move(hook); }

sdk::Status CatalogService::add_routes(api::Router& router) {
    return add_catalog_routes(router, *this, impl_->authorizer, impl_->ctx.replication);
}

ReplicaApplier& CatalogService::replica_applier() { return impl_->applier; }

std::optional<ItemView> CatalogService::find_item(const std::string& code) const {
    std::shared_lock lock(impl_->index_mutex);
    return impl_->index.item(code);
}

sdk::Result<ItemView> CatalogService::lookup_item(const std::string& code) const {
    std::shared_lock lock(impl_->index_mutex);
    if (auto item = impl_->index.item(code)) return std::move(*item);
    if (const Product* p = impl_->index.product_by_sku(code); p && !p->variants.empty()) {
        std::string list;
        for (const auto& v : p->variants) list += (list.empty() ? "" : ", ") + v.sku + " (" + v.name + ")";
        return sdk::Error{std::string(error_code::not_found),
                          "SKU " + code + " is " + p->name + ", sold through its variants: " + list};
    }
    return sdk::Error{std::string(error_code::not_found), "no item with SKU or barcode " + code};
}

std::vector<SearchHit> CatalogService::search(std::string_view query, std::size_t limit, bool include_inactive) const {
    std::shared_lock lock(impl_->index_mutex);
    return impl_->index.search(query, limit, include_inactive);
}

// --- departments -----------------------------------------------------------

sdk::Result<Department> CatalogService::create_department(Department input, const Actor& by) {
    return update_department("", std::move(input), by);
}

sdk::Result<Department> CatalogService::update_department(const std::string& id, Department d, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    if (!id.empty() && !m.index.department(id)) return not_found("department", id);
    if (const Department* other = m.index.department_by_code(d.code); other && other->department_id != id)
        return conflict("$.code", "code " + d.code + " is already used by department " + other->name);
    d.department_id = id.empty() ? m.ctx.ids.next() : id;
    d.updated_utc_ms = m.ctx.clock.now_utc_ms();
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = write_department(tx, d); !w.ok()) return w;
            return m.replicate(tx, change_type::department, d.department_id, to_value(d));
        });
        !s.ok())
        return s.error();
    m.update_index([&](CatalogIndex& idx) { idx.put_department(d); });
    m.publish("catalog.department_changed", to_value(d));
    return d;
}

sdk::Status CatalogService::delete_department(const std::string& id, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    const Department* d = m.index.department(id);
    if (!d) return not_found("department", id);
    if (auto n = m.index.products_in_department(id))
        return sdk::Error{std::string(error_code::conflict),
                          "department " + d->code + " is used by " + std::to_string(n) + " product(s)"};
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = catalog::delete_department(tx, id); !w.ok()) return w;
            return m.replicate(tx, change_type::department, id, replica_deletion(id));
        });
        !s.ok())
        return s;
    m.update_index([&](CatalogIndex& idx) { idx.erase_department(id); });
    m.publish("catalog.department_changed", deleted_payload("department_id", id));
    return {};
}

std::optional<Department> CatalogService::department(const std::string& id) const {
    std::shared_lock lock(impl_->index_mutex);
    const Department* d = impl_->index.department(id);
    return d ? std::optional<Department>(*d) : std::nullopt;
}

std::vector<Department> CatalogService::departments() const {
    std::shared_lock lock(impl_->index_mutex);
    std::vector<Department> out;
    for (const Department* d : impl_->index.departments()) out.push_back(*d);
    return out;
}

// --- tax classes -----------------------------------------------------------

sdk::Result<TaxClass> CatalogService::create_tax_class(TaxClass input, const Actor& by) {
    return update_tax_class("", std::move(input), by);
}

sdk::Result<TaxClass> CatalogService::update_tax_class(const std::string& id, TaxClass t, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    const TaxClass* before = id.empty() ? nullptr : m.index.tax_class(id);
    if (!id.empty() && !before) return not_found("tax class", id);
    if (const TaxClass* other = m.index.tax_class_by_code(t.code); other && other->tax_class_id != id)
        return conflict("$.code", "code " + t.code + " is already used by tax class " + other->name);
    if (auto s = m.keep_ids(t.rates, before ? &before->rates : nullptr, &TaxRate::tax_rate_id, "$.rates", "tax rate");
        !s.ok())
        return s.error();
    t.tax_class_id = id.empty() ? m.ctx.ids.next() : id;
    t.updated_utc_ms = m.ctx.clock.now_utc_ms();
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = write_tax_class(tx, t); !w.ok()) return w;
            return m.replicate(tx, change_type::tax_class, t.tax_class_id, to_value(t));
        });
        !s.ok())
        return s.error();
    m.update_index([&](CatalogIndex& idx) { idx.put_tax_class(t); });
    m.publish("catalog.tax_class_changed", to_value(t));
    return t;
}

sdk::Status CatalogService::delete_tax_class(const std::string& id, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    const TaxClass* t = m.index.tax_class(id);
    if (!t) return not_found("tax class", id);
    if (auto n = m.index.products_with_tax_class(id))
        return sdk::Error{std::string(error_code::conflict),
                          "tax class " + t->code + " is used by " + std::to_string(n) + " product(s)"};
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = catalog::delete_tax_class(tx, id); !w.ok()) return w;
            return m.replicate(tx, change_type::tax_class, id, replica_deletion(id));
        });
        !s.ok())
        return s;
    m.update_index([&](CatalogIndex& idx) { idx.erase_tax_class(id); });
    m.publish("catalog.tax_class_changed", deleted_payload("tax_class_id", id));
    return {};
}

std::optional<TaxClass> CatalogService::tax_class(const std::string& id) const {
    std::shared_lock lock(impl_->index_mutex);
    const TaxClass* t = impl_->index.tax_class(id);
    return t ? std::optional<TaxClass>(*t) : std::nullopt;
}

std::vector<TaxClass> CatalogService::tax_classes() const {
    std::shared_lock lock(impl_->index_mutex);
    std::vector<TaxClass> out;
    for (const TaxClass* t : impl_->index.tax_classes()) out.push_back(*t);
    return out;
}

// --- modifier groups -------------------------------------------------------

sdk::Result<ModifierGroup> CatalogService::create_group(ModifierGroup input, const Actor& by) {
    return update_group("", std::move(input), by);
}

sdk::Result<ModifierGroup> CatalogService::update_group(const std::string& id, ModifierGroup g, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    const ModifierGroup* before = id.empty() ? nullptr : m.index.group(id);
    if (!id.empty() && !before) return not_found("modifier group", id);
    if (const ModifierGroup* other = m.index.group_by_code(g.code); other && other->group_id != id)
        return conflict("$.code", "code " + g.code + " is already used by modifier group " + other->name);
    if (auto s = m.keep_ids(g.modifiers, before ? &before->modifiers : nullptr, &Modifier::modifier_id, "$.modifiers",
                            "modifier");
        !s.ok())
        return s.error();
    g.group_id = id.empty() ? m.ctx.ids.next() : id;
    g.updated_utc_ms = m.ctx.clock.now_utc_ms();
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = write_group(tx, g); !w.ok()) return w;
            return m.replicate(tx, change_type::modifier_group, g.group_id, to_value(g));
        });
        !s.ok())
        return s.error();
    m.update_index([&](CatalogIndex& idx) { idx.put_group(g); });
    m.publish("catalog.modifier_group_changed", to_value(g));
    return g;
}

sdk::Status CatalogService::delete_group(const std::string& id, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    const ModifierGroup* g = m.index.group(id);
    if (!g) return not_found("modifier group", id);
    if (auto n = m.index.products_with_group(id))
        return sdk::Error{std::string(error_code::conflict),
                          "modifier group " + g->code + " is used by " + std::to_string(n) + " product(s)"};
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = catalog::delete_group(tx, id); !w.ok()) return w;
            return m.replicate(tx, change_type::modifier_group, id, replica_deletion(id));
        });
        !s.ok())
        return s;
    m.update_index([&](CatalogIndex& idx) { idx.erase_group(id); });
    m.publish("catalog.modifier_group_changed", deleted_payload("group_id", id));
    return {};
}

std::optional<ModifierGroup> CatalogService::group(const std::string& id) const {
    std::shared_lock lock(impl_->index_mutex);
    const ModifierGroup* g = impl_->index.group(id);
    return g ? std::optional<ModifierGroup>(*g) : std::nullopt;
}

std::vector<ModifierGroup> CatalogService::groups() const {
    std::shared_lock lock(impl_->index_mutex);
    std::vector<ModifierGroup> out;
    for (const ModifierGroup* g : impl_->index.groups()) out.push_back(*g);
    return out;
}

// --- products --------------------------------------------------------------

sdk::Result<Product> CatalogService::create_product(Product input, const Actor& by) {
    return update_product("", std::move(input), by);
}

sdk::Result<Product> CatalogService::update_product(const std::string& id, Product p, const Actor& by) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    std::optional<Product> before;
    if (!id.empty()) {
        const Product* found = m.index.product(id);
        if (!found) return not_found("product", id);
        before = *found;
    }
    if (auto s = m.prepare_product(p, before ? &*before : nullptr); !s.ok()) return s.error();
    auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
        if (auto w = write_product(tx, p); !w.ok()) return w;
        if (auto a = m.audit_prices(tx, by, before ? &*before : nullptr, p); !a.ok()) return a;
        return m.replicate(tx, change_type::product, p.product_id, to_value(p));
    });
    if (!s.ok()) return s.error();
    m.update_index([&](CatalogIndex& idx) { idx.put_product(p); });
    m.publish("catalog.product_changed", to_value(p));
    return p;
}

sdk::Status CatalogService::delete_product(const std::string& id, const Actor&) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    const Product* p = m.index.product(id);
    if (!p) return not_found("product", id);
    Value payload = deleted_payload("product_id", id);
    payload.set("sku", p->sku);
    if (auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
            if (auto w = catalog::delete_product(tx, id); !w.ok()) return w;
            return m.replicate(tx, change_type::product, id, replica_deletion(id));
        });
        !s.ok())
        return s;
    m.update_index([&](CatalogIndex& idx) { idx.erase_product(id); });
    m.publish("catalog.product_changed", std::move(payload));
    return {};
}

std::optional<Product> CatalogService::product(const std::string& id) const {
    std::shared_lock lock(impl_->index_mutex);
    const Product* p = impl_->index.product(id);
    return p ? std::optional<Product>(*p) : std::nullopt;
}

ProductPage CatalogService::products(const std::string& after_sku, std::size_t limit) const {
    std::shared_lock lock(impl_->index_mutex);
    ProductPage page;
    auto list = impl_->index.products(after_sku, limit + 1);
    for (std::size_t i = 0; i < list.size() && i < limit; ++i) page.items.push_back(*list[i]);
    if (list.size() > limit && !page.items.empty()) page.next = page.items.back().sku;
    return page;
}

// --- CSV -------------------------------------------------------------------

std::string CatalogService::export_csv() const {
    std::shared_lock lock(impl_->index_mutex);
    return catalog::export_csv(impl_->index);
}

sdk::Result<ImportResult> CatalogService::import_csv(std::string_view csv, const Actor& by) {
    Impl& m = *impl_;
    std::lock_guard write(m.write_mutex);
    ImportResult result;
    result.plan = plan_import(csv, m.index, m.ctx.ids, m.ctx.clock.now_utc_ms());
    if (!result.plan.problems.empty()) return result;
    for (const auto& r : result.plan.rows) {
        if (r.outcome == "created") ++result.created;
        else if (r.outcome == "updated") ++result.updated;
        else ++result.unchanged;
    }
    if (result.plan.changed.empty()) return result;
    auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) {
        // Clear every changed product's rows first: a barcode may move from
        // a product written later to one written earlier (unique keys).
        for (const auto& p : result.plan.changed)
            if (auto d = catalog::delete_product(tx, p.product_id); !d.ok()) return d;
        for (const auto& p : result.plan.changed) {
            if (auto w = write_product(tx, p); !w.ok()) return w;
            if (auto a = m.audit_prices(tx, by, m.index.product(p.product_id), p); !a.ok()) return a;
            if (auto r = m.replicate(tx, change_type::product, p.product_id, to_value(p)); !r.ok()) return r;
        }
        return sdk::Status();
    });
    if (!s.ok()) return s.error();
    auto apply = [&](CatalogIndex& idx) {
        for (const auto& p : result.plan.changed) idx.put_product(p);
    };
    // Many products: prepared on a copy so lookups never wait for the puts.
    if (result.plan.changed.size() >= kBulkChange) m.replace_index(apply);
    else m.update_index(apply);
    for (const auto& p : result.plan.changed) m.publish("catalog.product_changed", to_value(p));
    return result;
}

}  // namespace till::domain::catalog
