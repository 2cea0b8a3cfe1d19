// The directory on both backends: create, read, change, deactivate, the
// CustomerLookup seam, duplicates, versions, field stamps, audit, events and
// search.
#include <catch2/catch.hpp>

#include "customers_world.hpp"

using namespace till;
using namespace till::domain::customers;
using till::test::Backend;
using till::test::CustomersWorld;

TEST_CASE("customers are created, read, changed and deactivated on both backends") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    NewCustomer n;
    n.given_name = "Ann";
    n.family_name = "Lee";
    n.email = "Ann@Example.com";
    n.phone = "+44 20 7946 0958";
    n.note = "prefers oat milk";
    n.marketing_opt_in = true;
    const Customer made = w.add(n);
    CHECK(domain::is_uuid_text(made.id));
    CHECK(made.display_name == "Ann Lee");
    CHECK(made.phone_normalized == "+442079460958");
    CHECK(made.version == 1);
    CHECK(made.active);
    CHECK(made.created_utc_ms == w.f.clock().now_utc_ms());
    CHECK(made.field_stamps.size() == stamped_fields().size());

    // What the API shows, after a restart too.
    w.restart();
    auto got = w.customers->get(made.id);
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    CHECK(customer_to_value(**got) == customer_to_value(made));
    const sdk::Value shown = customer_to_value(made);
    CHECK(shown["email"].as_string() == "Ann@Example.com");
    CHECK(shown["tax_exempt_reference"].is_null());
    CHECK(shown["field_stamps"]["email"]["node_id"].as_string() == "store-test");

    w.f.clock().advance_ms(5000);
    CustomerPatch p;
    p.expected_version = 1;
    p.display_name = "Ann Lee (café)";
    p.email = "";
    auto changed = w.customers->update(CustomersWorld::cashier(), made.id, p);
    REQUIRE(changed.ok());
    CHECK(changed->version == 2);
    CHECK(changed->email.empty());
    CHECK(changed->updated_utc_ms == made.created_utc_ms + 5000);
    CHECK(changed->created_utc_ms == made.created_utc_ms);

    auto off = w.customers->deactivate(CustomersWorld::cashier(), made.id, 2);
    REQUIRE(off.ok());
    CHECK_FALSE(off->active);
    CHECK(off->version == 3);
    auto again = w.customers->deactivate(CustomersWorld::cashier(), made.id, 3);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "invalid_state");

    CHECK(w.customer_topics() == std::vector<std::string>{"customer.created", "customer.changed", "customer.changed"});
    CHECK(w.f.last_event("customer.changed").payload == customer_to_value(*off));

    // The seam the order engine uses, inside its own transaction.
    std::optional<domain::CustomerView> view;
    REQUIRE(w.f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = w.customers->find_customer(tx, made.id);
        if (!found) return found.status();
        view = *found;
        auto none = w.customers->find_customer(tx, "not-a-uuid");
        if (!none || *none) return sdk::Status::failure("test", "a bad id should be no customer");
        return {};
    }).ok());
    REQUIRE(view);
    CHECK(view->display_name == "Ann Lee (café)");
    CHECK_FALSE(view->active);

    auto missing = w.customers->get("0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
    CustomerPatch ghost;
    ghost.expected_version = 1;
    ghost.note = "x";
    auto nobody = w.customers->update(CustomersWorld::cashier(), "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", ghost);
    REQUIRE_FALSE(nobody.ok());
    CHECK(nobody.error().code == "not_found");
}

TEST_CASE("a duplicate email is refused naming the customer that has it") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    const Customer ann = w.add("Ann", "Lee", "ann@example.com");
    const Customer bob = w.add("Bob", "Ray", "bob@example.com");

    NewCustomer twin;
    twin.given_name = "Annie";
    twin.email = "ANN@example.COM";
    ConflictInfo conflict;
    auto refused = w.customers->create(CustomersWorld::cashier(), twin, &conflict);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "conflict");
    CHECK(refused.error().message == "$.email: customer " + ann.id + " already has this email");
    CHECK(conflict.existing_customer_id == ann.id);

    CustomerPatch steal;
    steal.expected_version = 1;
    steal.email = "Ann@Example.com";
    ConflictInfo conflict2;
    auto taken = w.customers->update(CustomersWorld::cashier(), bob.id, steal, &conflict2);
    REQUIRE_FALSE(taken.ok());
    CHECK(conflict2.existing_customer_id == ann.id);

    // Changing one's own email's case is no duplicate.
    CustomerPatch recase;
    recase.expected_version = 1;
    recase.email = "ANN@example.com";
    CHECK(w.customers->update(CustomersWorld::cashier(), ann.id, recase).ok());
    // Customers without email never clash.
    w.add("Cy", "One");
    w.add("Cy", "Two");
    CHECK(w.count_topic("customer.created") == 4);
}

TEST_CASE("a stale expected_version is a conflict naming the current version") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    const Customer ann = w.add("Ann", "Lee");
    CustomerPatch first;
    first.expected_version = 1;
    first.note = "first";
    REQUIRE(w.customers->update(CustomersWorld::cashier(), ann.id, first).ok());

    CustomerPatch late;
    late.expected_version = 1;
    late.note = "late";
    ConflictInfo conflict;
    auto refused = w.customers->update(CustomersWorld::cashier(), ann.id, late, &conflict);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "conflict");
    CHECK(refused.error().message ==
          "$.expected_version: customer " + ann.id + " is at version 2, not 1; reload it and apply the change again");
    CHECK(conflict.current_version == 2);
    CHECK((*w.customers->get(ann.id))->note == "first");

    // A patch that changes nothing keeps the version and publishes nothing.
    CustomerPatch same;
    same.expected_version = 2;
    same.note = "first";
    auto unchanged = w.customers->update(CustomersWorld::cashier(), ann.id, same);
    REQUIRE(unchanged.ok());
    CHECK(unchanged->version == 2);
    CHECK(w.count_topic("customer.changed") == 1);
}

TEST_CASE("field stamps move only for the fields a change touched") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    const Customer ann = w.add("Ann", "Lee", "ann@example.com", "5551234567");
    const FieldStamp created = ann.field_stamps.at("email");
    for (const auto& [field, stamp] : ann.field_stamps) CHECK(stamp == created);

    w.f.clock().advance_ms(1000);
    CustomerPatch p;
    p.expected_version = 1;
    p.email = "ann.lee@example.com";
    p.given_name = "Ann";  // same value: not a change
    p.marketing_opt_in = true;
    auto changed = w.customers->update(CustomersWorld::cashier(), ann.id, p);
    REQUIRE(changed.ok());
    auto stored = *w.customers->get(ann.id);
    REQUIRE(stored);
    for (const std::string& field : stamped_fields()) {
        INFO(field);
        const FieldStamp& s = stored->field_stamps.at(field);
        if (field == "email" || field == "marketing_opt_in") {
            CHECK(s.utc_ms == created.utc_ms + 1000);
            CHECK(s > created);
        } else {
            CHECK(s == created);
        }
    }

    // The clock steps back: the next change still stamps later than the last.
    w.f.clock().advance_ms(-120'000);
    CustomerPatch back;
    back.expected_version = 2;
    back.email = "ann@example.org";
    REQUIRE(w.customers->update(CustomersWorld::cashier(), ann.id, back).ok());
    auto after = *w.customers->get(ann.id);
    CHECK(after->field_stamps.at("email") > stored->field_stamps.at("email"));
    CHECK(after->field_stamps.at("marketing_opt_in") == stored->field_stamps.at("marketing_opt_in"));
}

TEST_CASE("tax exemption changes are audited in the same transaction") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    NewCustomer school;
    school.display_name = "Hill School";
    school.tax_exempt = true;
    school.tax_exempt_reference = "EX-2041";
    const Customer made = w.add(school);
    CHECK(w.audit_count("customer.tax_exempt_changed") == 1);

    CustomerPatch note;
    note.expected_version = 1;
    note.note = "deliveries at the back";
    REQUIRE(w.customers->update(CustomersWorld::cashier(), made.id, note).ok());
    CHECK(w.audit_count("customer.tax_exempt_changed") == 1);

    CustomerPatch renew;
    renew.expected_version = 2;
    renew.tax_exempt_reference = "EX-2042";
    Actor supervised{"user-alice", "T1", "user-bob", "certificate renewed"};
    REQUIRE(w.customers->update(supervised, made.id, renew).ok());
    CHECK(w.audit_count("customer.tax_exempt_changed") == 2);
    auto entries = w.audit.list(0, 500);
    REQUIRE(entries.ok());
    const auto& last = entries->back();
    const sdk::Value shown = domain::audit::entry_to_value(last);
    CHECK(shown["action"].as_string() == "customer.tax_exempt_changed");
    CHECK(shown["subject"].as_string() == "customer:" + made.id);
    CHECK(shown["authorized_by"].as_string() == "user-bob");
    CHECK(shown["reason"].as_string() == "certificate renewed");
    CHECK(shown["details"]["tax_exempt_reference_before"].as_string() == "EX-2041");
    CHECK(shown["details"]["tax_exempt_reference_after"].as_string() == "EX-2042");
    auto chain = w.audit.verify();
    REQUIRE(chain.ok());
    CHECK(chain->ok);
}

TEST_CASE("search finds name word prefixes, email prefixes and phone digits, case-insensitively") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    w.add("Ann", "Lee", "ann.lee@example.com", "+44 20 7946 0958");
    w.add("Anna", "Becker", "anna@shop.de", "030 1234567");
    w.add("Bob", "Leeds", "bob@example.com");
    w.add("Émile", "Zola", "", "(555) 010-9999");
    NewCustomer school;
    school.display_name = "Hill School Trust";
    school.email = "office@hill.sch.uk";
    w.add(school);

    using V = std::vector<std::string>;
    CHECK(w.find("ann") == V{"Ann Lee", "Anna Becker"});
    CHECK(w.find("ANN lee") == V{"Ann Lee"});
    CHECK(w.find("lee") == V{"Ann Lee", "Bob Leeds"});
    CHECK(w.find("lee ann") == V{"Ann Lee"});
    CHECK(w.find("sch") == V{"Hill School Trust"});
    CHECK(w.find("émi") == V{"Émile Zola"});
    CHECK(w.find("ÉMILE") == V{"Émile Zola"});
    CHECK(w.find("ann.lee@ex") == V{"Ann Lee"});
    CHECK(w.find("BOB@EXAMPLE.COM") == V{"Bob Leeds"});
    CHECK(w.find("office@") == V{"Hill School Trust"});
    CHECK(w.find("7946 0958") == V{"Ann Lee"});
    CHECK(w.find("+44 20 7946") == V{"Ann Lee"});
    CHECK(w.find("20 7946") == V{"Ann Lee"});
    CHECK(w.find("555-010") == V{"Émile Zola"});
    CHECK(w.find("1234567") == V{"Anna Becker"});
    CHECK(w.find("zz").empty());
    CHECK(w.find("ann zola").empty());
    CHECK(w.find("%").empty());
    CHECK(w.find("_").empty());
    CHECK(w.find("").size() == 5);
    CHECK(w.find("   ").size() == 5);
}

TEST_CASE("search pages with a cursor and hides inactive customers unless asked") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    std::vector<std::string> ids;
    for (const char* name : {"Dee", "alice", "Bea", "carl", "Eve", "bea"}) ids.push_back(w.add(name, "Smith").id);

    std::vector<std::string> seen;
    SearchQuery q;
    q.q = "smith";
    q.limit = 4;
    auto first = w.customers->search(q);
    REQUIRE(first.ok());
    REQUIRE(first->items.size() == 4);
    REQUIRE_FALSE(first->next.empty());
    q.cursor = first->next;
    auto second = w.customers->search(q);
    REQUIRE(second.ok());
    CHECK(second->items.size() == 2);
    CHECK(second->next.empty());
    for (const auto* page : {&*first, &*second})
        for (const auto& c : page->items) seen.push_back(c.given_name);
    // Ordered by the case-folded display name, then id (creation order).
    CHECK(seen == std::vector<std::string>{"alice", "Bea", "bea", "carl", "Dee", "Eve"});

    SearchQuery forged;
    forged.cursor = "zz";
    auto bad = w.customers->search(forged);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "bad_request");

    REQUIRE(w.customers->deactivate(CustomersWorld::cashier(), ids[0], 1).ok());
    CHECK(w.find("dee").empty());
    CHECK(w.find("dee", 50, true) == std::vector<std::string>{"Dee Smith"});
}
