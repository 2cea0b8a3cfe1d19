// A catalog under test: a DomainFixture (real SQLite or PostgreSQL), the real
// audit trail and people service (the Authorizer), a started CatalogService,
// and a few helpers to seed departments, tax classes and modifier groups.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "domain/audit/audit_trail.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"

namespace till::test {

struct CatalogWorld {
    DomainFixture f;
    domain::audit::AuditTrail audit{f.ctx()};
    domain::people::PeopleService people{f.ctx(), audit};
    std::unique_ptr<domain::catalog::CatalogService> catalog;
    domain::catalog::Actor manager{"user-manager", "T1", "", ""};

    explicit CatalogWorld(Backend backend = Backend::sqlite) : f(backend) {
        REQUIRE(audit.start().ok());
        REQUIRE(people.start().ok());
        restart();
    }

    /// A fresh service over the same storage (as after a node restart).
    void restart() {
        catalog.reset();
        catalog = std::make_unique<domain::catalog::CatalogService>(f.ctx(), people, audit);
        auto s = catalog->start();
        INFO(s.message());
        REQUIRE(s.ok());
    }

    domain::catalog::Department department(const std::string& code, const std::string& name) {
        auto d = catalog->create_department({"", code, name, 0}, manager);
        INFO((d ? "" : d.error().message));
        REQUIRE(d.ok());
        return *d;
    }

    domain::catalog::TaxClass tax_class(const std::string& code, std::int64_t rate_bp) {
        domain::catalog::TaxClass t;
        t.code = code;
        t.name = code;
        if (rate_bp >= 0) t.rates.push_back({"", "VAT " + std::to_string(rate_bp / 100) + "%", rate_bp, false});
        auto r = catalog->create_tax_class(t, manager);
        INFO((r ? "" : r.error().message));
        REQUIRE(r.ok());
        return *r;
    }

    domain::catalog::ModifierGroup milk_group() {
        domain::catalog::ModifierGroup g;
        g.code = "milk";
        g.name = "Milk";
        g.min_choices = 0;
        g.max_choices = 2;
        g.modifiers = {{"", "oat milk", 40}, {"", "extra shot", 60}, {"", "no foam", 0}};
        auto r = catalog->create_group(g, manager);
        INFO((r ? "" : r.error().message));
        REQUIRE(r.ok());
        return *r;
    }

    /// Departments coffee/shop, tax classes vat20/vat10/exempt, group milk.
    void seed() {
        department("coffee", "Coffee");
        department("shop", "Shop");
        tax_class("vat20", 2000);
        tax_class("vat10", 1000);
        tax_class("exempt", -1);
        milk_group();
    }

    domain::catalog::Product simple(const std::string& sku, const std::string& name, std::int64_t price_minor) {
        domain::catalog::Product p;
        p.sku = sku;
        p.name = name;
        p.department_id = "shop";
        p.tax_class_id = "vat20";
        p.price_minor = price_minor;
        return p;
    }

    domain::catalog::Product latte() {
        domain::catalog::Product p;
        p.sku = "LATTE";
        p.name = "Latte";
        p.department_id = "coffee";
        p.tax_class_id = "vat10";
        p.price_minor = 280;
        p.track_stock = false;
        p.modifier_group_ids = {"milk"};
        p.tags = {"hot"};
        p.variants = {{"", "LATTE-S", "small", 280, 50, true, {"2000000000017"}},
                      {"", "LATTE-M", "medium", 320, 60, true, {}},
                      {"", "LATTE-L", "large", 360, 70, true, {}}};
        return p;
    }
};

}  // namespace till::test
