// Hostile input to the customer directory (review findings): text that is
// not UTF-8, tampered cursors and search abuse are 4xx on both backends,
// never a storage error (500).
#include <catch2/catch.hpp>

#include "customers_world.hpp"

using namespace till;
using till::test::Backend;
using till::test::CustomersNode;

namespace {

void check_4xx(const test::HttpReply& r, const std::string& contains = {}) {
    INFO(r.status << " " << r.body);
    CHECK(r.status / 100 == 4);
    CHECK_THAT(r.body, !Catch::Contains("storage"));
    if (!contains.empty()) CHECK_THAT(r.body, Catch::Contains(contains));
}

/// hex of `raw`, as the customer cursors are written.
std::string hex(const std::string& raw) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

}  // namespace

TEST_CASE("customers: text that is not UTF-8, tampered cursors and search abuse are 4xx", "[postgresql]") {
    const Backend backend = GENERATE(Backend::sqlite, Backend::postgresql);
    CustomersNode n(backend);
    const std::string alice = n.login("alice", "1111");
    n.add("Ada", "Lovelace", "ada@example.com");
    n.add("Alan", "Turing");

    check_4xx(n.call("POST", "/api/v1/customers", "{\"given_name\":\"Ren\xe9\"}", alice), "$.given_name");
    check_4xx(n.call("POST", "/api/v1/customers", R"({"given_name":"A\u0000B"})", alice), "$.given_name");
    check_4xx(n.call("POST", "/api/v1/customers", "{\"given_name\":\"Ann\",\"note\":\"\xed\xb0\x80\"}", alice),
              "$.note");
    check_4xx(n.call("GET", "/api/v1/customers?q=%FF", {}, alice));
    check_4xx(n.call("GET", "/api/v1/customers?q=a%00b", {}, alice));
    check_4xx(n.call("GET", "/api/v1/customers/%FF", {}, alice));
    check_4xx(n.call("PATCH", "/api/v1/customers/%FF", R"({"expected_version":1})", alice));
    // Cursors: not hex, odd length, huge, and well-formed hex carrying bytes that are not UTF-8.
    check_4xx(n.call("GET", "/api/v1/customers?cursor=zz", {}, alice), "cursor");
    check_4xx(n.call("GET", "/api/v1/customers?cursor=abc", {}, alice), "cursor");
    check_4xx(n.call("GET", "/api/v1/customers?cursor=" + std::string(10000, 'a'), {}, alice), "cursor");
    check_4xx(n.call("GET", "/api/v1/customers?cursor=" + hex("\xff\xfe\n019bc119-0100-73dd-a018-4f8a4a1b2c3d"), {},
                     alice),
              "cursor");
    check_4xx(n.call("GET", "/api/v1/customers?cursor=" + hex(std::string("a\0b\n", 4) +
                                                               "019bc119-0100-73dd-a018-4f8a4a1b2c3d"),
                     {}, alice),
              "cursor");
    // Limits.
    for (const char* limit : {"0", "-1", "501", "x", "99999999999999999999"})
        check_4xx(n.call("GET", std::string("/api/v1/customers?limit=") + limit, {}, alice));
    check_4xx(n.call("GET", "/api/v1/customers?q=" + std::string(300, 'a'), {}, alice));
    // A real cursor still pages.
    auto first = n.call("GET", "/api/v1/customers?limit=1", {}, alice);
    REQUIRE(first.status == 200);
    auto next = CustomersNode::json(first)["next"].as_string();
    auto second = n.call("GET", "/api/v1/customers?limit=1&cursor=" + next, {}, alice);
    INFO(second.body);
    REQUIRE(second.status == 200);
    CHECK_THAT(second.body, Catch::Contains("Turing"));
    // Wrong Content-Type, not an object, unknown fields.
    auto plain = n.call("POST", "/api/v1/customers", R"({"given_name":"Zed"})", alice);
    CHECK(plain.status == 201);  // the default test client sends application/json
}
