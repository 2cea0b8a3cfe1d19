#include "registers_test_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

namespace till::test {

std::vector<Backend> register_backends() { return {Backend::sqlite, Backend::postgresql}; }
const char* backend_name(Backend b) { return b == Backend::sqlite ? "sqlite" : "postgresql"; }

void SetTotals::set(const std::string& session_id, domain::OrderTotals orders,
                    std::vector<domain::TenderTotals> tenders) {
    std::lock_guard lock(mutex_);
    orders_[session_id] = orders;
    tenders_[session_id] = std::move(tenders);
}

sdk::Result<domain::OrderTotals> SetTotals::order_totals(sdk::SqlExecutor&, const std::string& session_id) {
    std::lock_guard lock(mutex_);
    auto it = orders_.find(session_id);
    return it == orders_.end() ? domain::OrderTotals{} : it->second;
}

sdk::Result<std::vector<domain::TenderTotals>> SetTotals::tender_totals(sdk::SqlExecutor&,
                                                                        const std::string& session_id) {
    std::lock_guard lock(mutex_);
    auto it = tenders_.find(session_id);
    return it == tenders_.end() ? std::vector<domain::TenderTotals>{} : it->second;
}

sdk::Status BreakableAudit::append(sdk::SqlExecutor& tx, const domain::AuditEntry& entry) {
    bool fail = false;
    {
        std::lock_guard lock(mutex_);
        if (!fail_action_.empty() && entry.action == fail_action_) {
            fail = true;
            fail_action_.clear();
        }
    }
    if (fail) {
        auto r = tx.execute("INSERT INTO no_such_table_audit_breaks_here (x) VALUES (1)");
        return r ? sdk::Status::failure("test", "expected a storage failure") : sdk::Status(r.error());
    }
    return real_.append(tx, entry);
}

sdk::Result<domain::Principal> NoRoutes::authenticate(const sdk::HttpRequest&) const {
    return sdk::Error{"unauthorized", "no routes in this test"};
}
sdk::Result<domain::Authorization> NoRoutes::authorize(const domain::Principal&, std::string_view,
                                                       const sdk::HttpRequest&) {
    return sdk::Error{"forbidden", "no routes in this test"};
}

RegistersUnderTest::RegistersUnderTest(Backend backend)
    : fixture(backend),
      trail(fixture.ctx()),
      audit(trail),
      registers(fixture.ctx(), no_routes, audit, totals, totals) {
    auto a = trail.start();
    INFO(a.message());
    REQUIRE(a.ok());
    auto r = registers.start();
    INFO(r.message());
    REQUIRE(r.ok());
}

domain::Authorization by(const std::string& user_id, const std::string& terminal, const std::string& role) {
    domain::Authorization a;
    a.principal.user_id = user_id;
    a.principal.user_name = user_id;
    a.principal.role = role;
    a.principal.terminal_id = terminal;
    return a;
}

std::string open_register(domain::RegisterService& registers, const std::string& register_id,
                          std::int64_t float_minor) {
    auto r = registers.open(by("u-open", register_id), register_id, float_minor, "");
    INFO((r ? std::string() : r.error().code + ": " + r.error().message));
    REQUIRE(r.ok());
    return r.value()["session_id"].as_string();
}

bool wait_for(const std::function<bool()>& condition, int timeout_ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return condition();
}

std::vector<std::string> audit_actions(domain::audit::AuditTrail& trail) {
    auto entries = trail.list(0, 500);
    REQUIRE(entries.ok());
    std::vector<std::string> out;
    for (const auto& e : entries.value()) out.push_back(e.action);
    return out;
}

}  // namespace till::test
