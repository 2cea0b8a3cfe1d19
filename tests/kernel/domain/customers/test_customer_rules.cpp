// The pure rules: email and phone checks, the display name, what a patch
// changes, search terms, and hybrid-logical-clock stamps.
#include <catch2/catch.hpp>

#include "domain/customers/customer_rules.hpp"
#include "domain/customers/hybrid_clock.hpp"
#include "domain_fixture.hpp"

using namespace till;
using namespace till::domain::customers;

namespace {
std::string error_of(const sdk::Status& s) { return s.ok() ? std::string() : s.error().message; }
}  // namespace

TEST_CASE("emails are trimmed, checked and compared case-insensitively") {
    auto ok = checked_email("  Ann.Lee+till@Example.COM ", "$.email");
    REQUIRE(ok.ok());
    CHECK(*ok == "Ann.Lee+till@Example.COM");
    CHECK(email_key(*ok) == "ann.lee+till@example.com");
    CHECK(checked_email("", "$.email").ok());

    for (const char* bad : {"ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "a b@example.com",
                            "ann@exa mple.com", "ann@-example.com", ".ann@example.com", "ann..lee@example.com",
                            "ann@example..com"}) {
        INFO(bad);
        auto r = checked_email(bad, "$.email");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid_argument");
        CHECK(r.error().message.rfind("$.email: is not an email address", 0) == 0);
    }
    auto control = checked_email("ann\x01@example.com", "$.email");
    REQUIRE_FALSE(control.ok());
    CHECK(control.error().message == "$.email: must not contain control characters");
}

TEST_CASE("phones normalise to digits with a leading plus kept") {
    CHECK(*normalized_phone("+44 20 7946-0958", "$.phone") == "+442079460958");
    CHECK(*normalized_phone("(555) 123.4567", "$.phone") == "5551234567");
    CHECK(normalized_phone("  ", "$.phone")->empty());

    auto letters = normalized_phone("555-CALL-NOW", "$.phone");
    REQUIRE_FALSE(letters.ok());
    CHECK(letters.error().message.rfind("$.phone: is not a phone number (only digits", 0) == 0);
    auto inner_plus = normalized_phone("44+20", "$.phone");
    REQUIRE_FALSE(inner_plus.ok());
    CHECK(inner_plus.error().message == "$.phone: is not a phone number ('+' is allowed only first)");
    auto short_one = normalized_phone("123", "$.phone");
    REQUIRE_FALSE(short_one.ok());
    CHECK(short_one.error().message == "$.phone: is not a phone number (it needs 4 to 15 digits, got 3)");
    CHECK_FALSE(normalized_phone("+1234567890123456", "$.phone").ok());
}

TEST_CASE("a new customer needs something to be called by") {
    NewCustomer n;
    auto nothing = customer_from_new(n);
    REQUIRE_FALSE(nothing.ok());
    CHECK(nothing.error().message ==
          "$.display_name: is required when no given_name, family_name, email or phone is given");

    n.given_name = " Ann ";
    n.family_name = "Lee";
    auto named = customer_from_new(n);
    REQUIRE(named.ok());
    CHECK(named->display_name == "Ann Lee");
    CHECK(named->given_name == "Ann");

    NewCustomer by_email;
    by_email.email = "ann@example.com";
    CHECK(customer_from_new(by_email)->display_name == "ann@example.com");

    NewCustomer blank;
    blank.display_name = "   ";
    blank.given_name = "Ann";
    CHECK(error_of(customer_from_new(blank).status()) == "$.display_name: must not be empty");

    NewCustomer bad_utf8;
    bad_utf8.given_name = "Ann\xC3";
    CHECK(error_of(customer_from_new(bad_utf8).status()) == "$.given_name: is not valid UTF-8 text");

    NewCustomer note;
    note.given_name = "Ann";
    note.note = "line one\nline two\twith a tab";
    CHECK(customer_from_new(note).ok());
}

TEST_CASE("a tax exemption needs its certificate reference") {
    NewCustomer n;
    n.given_name = "School";
    n.tax_exempt = true;
    CHECK(error_of(customer_from_new(n).status()) ==
          "$.tax_exempt_reference: is required when tax_exempt is true (the exemption certificate)");
    n.tax_exempt_reference = "EX-123";
    REQUIRE(customer_from_new(n).ok());

    NewCustomer stray;
    stray.given_name = "Ann";
    stray.tax_exempt_reference = "EX-1";
    CHECK(error_of(customer_from_new(stray).status()) ==
          "$.tax_exempt_reference: must be empty unless tax_exempt is true");

    // Ending an exemption drops the certificate.
    Customer exempt = *customer_from_new(n);
    CustomerPatch end;
    end.tax_exempt = false;
    auto ended = apply_patch(exempt, end);
    REQUIRE(ended.ok());
    CHECK(ended->after.tax_exempt_reference.empty());
    CHECK(ended->changed_fields == std::vector<std::string>{"tax_exempt", "tax_exempt_reference"});
    CHECK(changes_tax_exemption(*ended));
}

TEST_CASE("a patch reports only the fields whose value changed") {
    NewCustomer n;
    n.given_name = "Ann";
    n.family_name = "Lee";
    n.email = "ann@example.com";
    n.phone = "+44 20 7946 0958";
    Customer c = *customer_from_new(n);

    CustomerPatch same;
    same.given_name = "Ann";
    same.email = " ann@example.com ";
    same.phone = "+44 20 7946 0958";
    auto nothing = apply_patch(c, same);
    REQUIRE(nothing.ok());
    CHECK(nothing->changed_fields.empty());

    CustomerPatch some;
    some.family_name = "Lee-Park";
    some.phone = "";
    some.marketing_opt_in = true;
    auto changed = apply_patch(c, some);
    REQUIRE(changed.ok());
    CHECK(changed->changed_fields == std::vector<std::string>{"family_name", "phone", "marketing_opt_in"});
    CHECK(changed->after.phone_normalized.empty());
    CHECK(changed->after.display_name == "Ann Lee");  // an explicit display name is never rewritten
    CHECK_FALSE(changes_tax_exemption(*changed));

    CustomerPatch bad;
    bad.phone = "call me";
    CHECK(error_of(apply_patch(c, bad).status()).rfind("$.phone: ", 0) == 0);
}

TEST_CASE("search terms are folded name words and the email") {
    Customer c;
    c.display_name = "Jean-Luc ÉMILE O'Brien";
    c.given_name = "Jean-Luc";
    c.family_name = "O'Brien";
    c.email = "JL@Example.com";
    const auto terms = search_terms(c);
    for (const char* t : {"jean-luc", "jean", "luc", "émile", "o'brien", "jl@example.com"}) {
        INFO(t);
        CHECK(std::find(terms.begin(), terms.end(), std::string(t)) != terms.end());
    }
    CHECK(fold_case("ÀÉÎÕÜ ×") == "àéîõü ×");
    CHECK(query_words("  Ann   LEE ") == std::vector<std::string>{"ann", "lee"});
    CHECK(phone_digits_of("+44 (20)") == "4420");
    CHECK(phone_digits_of("12") == "");
    CHECK(phone_digits_of("ann7946") == "");
}

TEST_CASE("hybrid clock stamps never go backwards and pass every stamp seen") {
    test::ManualClock clock;
    HybridClock hlc(clock, "store-1");
    const FieldStamp a = hlc.next();
    CHECK(a.utc_ms == clock.now_utc_ms());
    CHECK(a.counter == 0);
    CHECK(a.node_id == "store-1");

    const FieldStamp b = hlc.next();  // same millisecond
    CHECK(b > a);
    CHECK(b.counter == 1);

    clock.advance_ms(-60'000);  // the wall clock steps back a minute
    const FieldStamp c = hlc.next();
    CHECK(c > b);
    CHECK(c.utc_ms == b.utc_ms);

    // A stamp from HQ, ahead of this node's clock, is passed.
    std::map<std::string, FieldStamp> seen{{"email", FieldStamp{clock.now_utc_ms() + 3'600'000, 7, "hq"}}};
    const FieldStamp d = hlc.next(seen);
    CHECK(d > seen["email"]);
    CHECK(d.node_id == "store-1");

    clock.advance_ms(10 * 3'600'000);
    const FieldStamp e = hlc.next();
    CHECK(e.utc_ms == clock.now_utc_ms());
    CHECK(e.counter == 0);
}
