// GET /api/v1/sync/stores: HQ's stores and what each last sent, for callers
// with sync.view; 401 without a login, 403 without the action.
#include "hq_rig.hpp"

#include "api/router.hpp"
#include "sync/hq/hq_routes.hpp"

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

namespace {

/// Bearer "manager" may view sync, "cashier" may not, anything else is nobody.
class RoleAuthorizer final : public domain::Authorizer {
public:
    sdk::Result<domain::Principal> authenticate(const sdk::HttpRequest& request) const override {
        auto it = request.headers.find("authorization");
        if (it == request.headers.end()) return sdk::Error{"unauthorized", "log in first"};
        const std::string role = it->second.substr(it->second.find(' ') + 1);
        if (role != "manager" && role != "cashier") return sdk::Error{"unauthorized", "bad token"};
        return domain::Principal{"u-" + role, role, role, "T1"};
    }
    sdk::Result<domain::Authorization> authorize(const domain::Principal& who, std::string_view action,
                                                 const sdk::HttpRequest&) override {
        if (who.role == "manager" && action == domain::action::sync_view) return domain::Authorization{who, "", ""};
        return sdk::Error{"forbidden", "not allowed: " + std::string(action)};
    }
};

sdk::HttpResponse get(api::Router& router, const std::string& bearer) {
    auto match = router.match(sdk::HttpMethod::get, "/api/v1/sync/stores");
    REQUIRE(match.kind == api::Router::MatchKind::found);
    sdk::HttpRequest request;
    request.path = "/api/v1/sync/stores";
    if (!bearer.empty()) request.headers["authorization"] = "Bearer " + bearer;
    return match.handler(request);
}

}  // namespace

TEST_CASE("hq routes: GET /api/v1/sync/stores lists stores for sync.view", "[sync][hq]") {
    HqRig rig(fresh_place(Backend::sqlite, "hq_routes"));
    api::Router router;
    RoleAuthorizer authorizer;
    REQUIRE(add_hq_routes(router, authorizer, *rig.hub).ok());

    REQUIRE(rig.hub->tokens().issue("store-002").ok());
    REQUIRE(rig.hub->apply_batch("store-001", batch_of("store-001", mixed_events("store-001", 4))).status ==
            sdk::TransportStatus::ok);
    rig.append_change("product", "P1", sdk::Value::map());

    auto ok = get(router, "manager");
    REQUIRE(ok.status == 200);
    auto body = sdk::Value::parse_json(ok.body);
    REQUIRE(body.ok());
    CHECK((*body)["revision"].as_int() == 1);
    const auto& items = (*body)["items"].as_list();
    REQUIRE(items.size() == 2);
    CHECK(items[0]["store_id"].as_string() == "store-001");
    CHECK(items[0]["acknowledged_sequence"].as_int() == 4);
    CHECK(items[0]["events_received"].as_int() == 4);
    CHECK(items[0]["live_tokens"].as_int() == 0);
    CHECK(items[1]["store_id"].as_string() == "store-002");
    CHECK(items[1]["last_push_utc_ms"].is_null());
    CHECK(items[1]["live_tokens"].as_int() == 1);
    CHECK(ok.body.find("token_sha256") == std::string::npos);

    CHECK(get(router, "").status == 401);
    CHECK(get(router, "cashier").status == 403);
}
