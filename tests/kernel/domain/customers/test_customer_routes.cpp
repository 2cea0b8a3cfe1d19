// The customer routes over real HTTP with real logins: who may do what,
// problem+json naming the JSON path, conflicts, search and paging.
#include <catch2/catch.hpp>

#include "customers_world.hpp"

using namespace till;
using till::test::Backend;
using till::test::CustomersNode;
using till::test::HttpReply;

namespace {
std::string version_body(std::int64_t v) { return R"({"expected_version":)" + std::to_string(v) + "}"; }
}  // namespace

TEST_CASE("a cashier adds, finds, reads and changes customers over HTTP") {
    CustomersNode n(GENERATE(Backend::sqlite, Backend::postgresql));
    const std::string alice = n.login("alice", "1111");

    auto made = n.call("POST", "/api/v1/customers",
                       R"({"given_name":"Ann","family_name":"Lee","email":"ann@example.com",)"
                       R"("phone":"+44 20 7946 0958","marketing_opt_in":true})",
                       alice);
    INFO(made.body);
    REQUIRE(made.status == 201);
    const sdk::Value ann = CustomersNode::json(made);
    const std::string id = ann["id"].as_string();
    CHECK(made.headers["location"] == "/api/v1/customers/" + id);
    CHECK(ann["display_name"].as_string() == "Ann Lee");
    CHECK(ann["phone_normalized"].as_string() == "+442079460958");
    CHECK(ann["version"].as_int() == 1);
    CHECK(ann["field_stamps"]["phone"]["utc_ms"].as_int() == n.f.clock().now_utc_ms());
    CHECK(n.f.last_event("customer.created").payload == ann);

    auto found = n.call("GET", "/api/v1/customers?q=LEE%20an", {}, alice);
    REQUIRE(found.status == 200);
    const sdk::Value page = CustomersNode::json(found);
    REQUIRE(page["items"].size() == 1);
    CHECK(page["items"].as_list()[0]["id"].as_string() == id);
    CHECK(page["next"].is_null());

    auto got = n.call("GET", "/api/v1/customers/" + id, {}, alice);
    REQUIRE(got.status == 200);
    CHECK(CustomersNode::json(got) == ann);

    n.f.clock().advance_ms(2000);
    auto patched = n.call("PATCH", "/api/v1/customers/" + id,
                          R"({"expected_version":1,"note":"oat milk","phone":""})", alice);
    INFO(patched.body);
    REQUIRE(patched.status == 200);
    const sdk::Value after = CustomersNode::json(patched);
    CHECK(after["version"].as_int() == 2);
    CHECK(after["note"].as_string() == "oat milk");
    CHECK(after["phone"].is_null());
    CHECK(after["field_stamps"]["note"]["utc_ms"].as_int() == ann["field_stamps"]["note"]["utc_ms"].as_int() + 2000);
    CHECK(after["field_stamps"]["email"] == ann["field_stamps"]["email"]);
    CHECK(n.f.last_event("customer.changed").payload == after);

    // The stale one.
    auto stale = n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":1,"note":"tea"})", alice);
    CHECK(stale.status == 409);
    CHECK(stale.content_type.find("application/problem+json") == 0);
    CHECK(CustomersNode::json(stale)["current_version"].as_int() == 2);
    CHECK(CustomersNode::error_path(stale) == "$.expected_version");
}

TEST_CASE("customer routes need a login and the right permission") {
    CustomersNode n;
    const std::string alice = n.login("alice", "1111");  // cashier
    const std::string carol = n.login("carol", "3333");  // manager

    CHECK(n.call("GET", "/api/v1/customers").status == 401);
    CHECK(n.call("POST", "/api/v1/customers", R"({"given_name":"Ann"})").status == 401);
    CHECK(n.call("GET", "/api/v1/customers", {}, "not-a-token").status == 401);

    auto made = n.call("POST", "/api/v1/customers", R"({"given_name":"Ann"})", alice);
    REQUIRE(made.status == 201);
    const std::string id = CustomersNode::json(made)["id"].as_string();

    // Deactivating needs users.manage: a manager, not a cashier.
    auto refused = n.call("POST", "/api/v1/customers/" + id + "/deactivate", version_body(1), alice);
    CHECK(refused.status == 403);
    CHECK(CustomersNode::json(refused)["code"].as_string() == "override_required");
    // So does reactivating through PATCH.
    auto off = n.call("POST", "/api/v1/customers/" + id + "/deactivate", version_body(1), carol);
    INFO(off.body);
    REQUIRE(off.status == 200);
    CHECK_FALSE(CustomersNode::json(off)["active"].as_bool(true));
    CHECK(n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":2,"active":true})", alice).status == 403);
    auto on = n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":2,"active":true})", carol);
    CHECK(on.status == 200);
    CHECK(CustomersNode::json(on)["active"].as_bool());
    // A cashier may still change an inactive customer's other fields... and this one is active again.
    CHECK(n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":3,"note":"x"})", alice).status == 200);
}

TEST_CASE("a tax exemption needs a supervisor, and the override is audited") {
    CustomersNode n;
    const std::string alice = n.login("alice", "1111");
    const std::string body = R"({"display_name":"Hill School","tax_exempt":true,"tax_exempt_reference":"EX-2041"})";

    auto refused = n.call("POST", "/api/v1/customers", body, alice);
    CHECK(refused.status == 403);
    CHECK(CustomersNode::json(refused)["code"].as_string() == "override_required");
    CHECK(n.audit_count("customer.tax_exempt_changed") == 0);

    const std::string token = n.override_token(alice, "price.override", "school certificate seen");
    auto made = n.call("POST", "/api/v1/customers", body, alice, token);
    INFO(made.body);
    REQUIRE(made.status == 201);
    const std::string id = CustomersNode::json(made)["id"].as_string();
    CHECK(n.audit_count("customer.tax_exempt_changed") == 1);
    auto rows = n.f.db().query("SELECT authorized_by, reason, subject FROM audit_log WHERE action = ?",
                               {std::string("customer.tax_exempt_changed")});
    REQUIRE(rows.ok());
    REQUIRE(rows->rows.size() == 1);
    CHECK_FALSE(rows->rows[0][0].as_string().empty());
    CHECK(rows->rows[0][1].as_string() == "school certificate seen");
    CHECK(rows->rows[0][2].as_string() == "customer:" + id);

    // The override was single-use; other changes need none.
    CHECK(n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":1,"tax_exempt":false})", alice, token)
              .status == 403);
    CHECK(n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":1,"note":"term time only"})", alice)
              .status == 200);
    // A supervisor ends the exemption without an override.
    const std::string bob = n.login("bob", "2222");
    auto ended = n.call("PATCH", "/api/v1/customers/" + id, R"({"expected_version":2,"tax_exempt":false})", bob);
    REQUIRE(ended.status == 200);
    CHECK(CustomersNode::json(ended)["tax_exempt_reference"].is_null());
    CHECK(n.audit_count("customer.tax_exempt_changed") == 2);
}

TEST_CASE("bad input is a 4xx problem naming the JSON path, never a 500") {
    CustomersNode n;
    const std::string alice = n.login("alice", "1111");
    struct Case {
        const char* method;
        std::string path;
        std::string body;
        int status;
        std::string json_path;
    };
    auto made = n.call("POST", "/api/v1/customers", R"({"given_name":"Ann","email":"ann@example.com"})", alice);
    REQUIRE(made.status == 201);
    const std::string ann = CustomersNode::json(made)["id"].as_string();
    const std::string one = "/api/v1/customers/" + ann;
    const Case cases[] = {
        {"POST", "/api/v1/customers", R"({"email":"not-an-email"})", 422, "$.email"},
        {"POST", "/api/v1/customers", R"({"given_name":"Bo","phone":"call me"})", 422, "$.phone"},
        {"POST", "/api/v1/customers", R"({"given_name":"Bo","shoe_size":44})", 422, "$.shoe_size"},
        {"POST", "/api/v1/customers", R"({"given_name":42})", 422, "$.given_name"},
        {"POST", "/api/v1/customers", R"({"given_name":"Bo","marketing_opt_in":"yes"})", 422, "$.marketing_opt_in"},
        {"POST", "/api/v1/customers", R"({})", 422, "$.display_name"},
        {"POST", "/api/v1/customers", R"({"given_name":"Bo\u0000"})", 422, "$.given_name"},
        {"POST", "/api/v1/customers", R"({"given_name":"Bo","tax_exempt_reference":"EX"})", 422,
         "$.tax_exempt_reference"},
        {"POST", "/api/v1/customers", R"({"given_name":")" + std::string(101, 'x') + R"("})", 422, "$.given_name"},
        {"POST", "/api/v1/customers", R"({"given_name":"Bo","email":"ANN@example.com"})", 409, "$.email"},
        {"POST", "/api/v1/customers", R"([1,2])", 400, "$"},
        {"POST", "/api/v1/customers", R"({"given_name":)", 400, "$"},
        {"POST", "/api/v1/customers", "", 400, "$"},
        {"PATCH", one, R"({"note":"x"})", 422, "$.expected_version"},
        {"PATCH", one, R"({"expected_version":0,"note":"x"})", 422, "$.expected_version"},
        {"PATCH", one, R"({"expected_version":"1"})", 422, "$.expected_version"},
        {"PATCH", one, R"({"expected_version":1,"display_name":""})", 422, "$.display_name"},
        {"PATCH", one, R"({"expected_version":1,"email":"a@b"})", 422, "$.email"},
        {"PATCH", one, R"({"expected_version":1,"version":2})", 422, "$.version"},
        {"PATCH", "/api/v1/customers/0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", R"({"expected_version":1})", 404, ""},
        {"POST", one + "/deactivate", R"({})", 403, ""},  // a cashier: permission first
        {"GET", "/api/v1/customers/nope", "", 404, ""},
        {"GET", "/api/v1/customers?limit=0", "", 400, ""},
        {"GET", "/api/v1/customers?limit=501", "", 400, ""},
        {"GET", "/api/v1/customers?limit=abc", "", 400, ""},
        {"GET", "/api/v1/customers?cursor=zz", "", 400, ""},
        {"GET", "/api/v1/customers?cursor=" + std::string(64, 'a'), "", 400, ""},
        {"GET", "/api/v1/customers?include_inactive=maybe", "", 400, ""},
    };
    for (const auto& c : cases) {
        INFO(c.method << " " << c.path << " " << c.body);
        HttpReply r = n.call(c.method, c.path, c.body, alice);
        INFO(r.body);
        CHECK(r.status == c.status);
        CHECK(r.content_type.find("application/problem+json") == 0);
        CHECK(CustomersNode::error_path(r) == c.json_path);
    }
    auto dup = n.call("POST", "/api/v1/customers", R"({"given_name":"Bo","email":"ANN@example.com"})", alice);
    CHECK(CustomersNode::json(dup)["existing_customer_id"].as_string() == ann);

    // A manager's deactivate body is checked too.
    const std::string carol = n.login("carol", "3333");
    auto no_version = n.call("POST", one + "/deactivate", R"({})", carol);
    CHECK(no_version.status == 422);
    CHECK(CustomersNode::error_path(no_version) == "$.expected_version");
    CHECK(n.count_topic("customer.changed") == 0);
}

TEST_CASE("the list pages with the next cursor over HTTP") {
    CustomersNode n;
    const std::string alice = n.login("alice", "1111");
    for (int i = 0; i < 7; ++i) {
        auto r = n.call("POST", "/api/v1/customers",
                        R"({"given_name":"Guest)" + std::to_string(i) + R"(","family_name":"Walk-in"})", alice);
        REQUIRE(r.status == 201);
    }
    std::vector<std::string> names;
    std::string cursor;
    for (int pages = 0; pages < 10; ++pages) {
        auto r = n.call("GET", "/api/v1/customers?q=walk&limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), {},
                        alice);
        REQUIRE(r.status == 200);
        const sdk::Value page = CustomersNode::json(r);
        for (const auto& c : page["items"].as_list()) names.push_back(c["given_name"].as_string());
        if (page["next"].is_null()) break;
        cursor = page["next"].as_string();
    }
    CHECK(names == std::vector<std::string>{"Guest0", "Guest1", "Guest2", "Guest3", "Guest4", "Guest5", "Guest6"});
}
