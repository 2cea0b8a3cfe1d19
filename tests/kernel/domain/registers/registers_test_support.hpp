// Helpers for the registers tests: a fixture per backend with the register
// service and the real audit trail started, seams for the tests that do not
// involve orders or payments, and shorthands.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/audit/audit_trail.hpp"
#include "domain/registers/register_service.hpp"
#include "domain_fixture.hpp"
#include "till/sdk/device.hpp"

namespace till::test {

std::vector<Backend> register_backends();
const char* backend_name(Backend b);

/// Session totals a test sets by hand, for the report arithmetic without an
/// order engine (the order/payment-backed guarantee is in
/// test_z_totals_with_sales.cpp).
class SetTotals final : public domain::OrderTotalsSource, public domain::TenderTotalsSource {
public:
    void set(const std::string& session_id, domain::OrderTotals orders, std::vector<domain::TenderTotals> tenders);
    sdk::Result<domain::OrderTotals> order_totals(sdk::SqlExecutor& tx, const std::string& session_id) override;
    sdk::Result<std::vector<domain::TenderTotals>> tender_totals(sdk::SqlExecutor& tx,
                                                                 const std::string& session_id) override;

private:
    std::mutex mutex_;
    std::map<std::string, domain::OrderTotals> orders_;
    std::map<std::string, std::vector<domain::TenderTotals>> tenders_;
};

/// The real audit trail, which can be told to fail the next append of one
/// action with a storage error (it runs a statement on a missing table in
/// the caller's transaction): a close that breaks half-way.
class BreakableAudit final : public domain::AuditLog {
public:
    explicit BreakableAudit(domain::audit::AuditTrail& real) : real_(real) {}
    void fail_next(std::string action) {
        std::lock_guard lock(mutex_);
        fail_action_ = std::move(action);
    }
    sdk::Status append(sdk::SqlExecutor& tx, const domain::AuditEntry& entry) override;

private:
    domain::audit::AuditTrail& real_;
    std::mutex mutex_;
    std::string fail_action_;
};

/// Authorizer for service-level tests that never route.
class NoRoutes final : public domain::Authorizer {
public:
    sdk::Result<domain::Principal> authenticate(const sdk::HttpRequest&) const override;
    sdk::Result<domain::Authorization> authorize(const domain::Principal&, std::string_view,
                                                 const sdk::HttpRequest&) override;
};

struct RegistersUnderTest {
    explicit RegistersUnderTest(Backend backend);
    DomainFixture fixture;
    domain::audit::AuditTrail trail;
    BreakableAudit audit;
    SetTotals totals;
    NoRoutes no_routes;
    domain::RegisterService registers;
};

domain::Authorization by(const std::string& user_id, const std::string& terminal = "T1",
                         const std::string& role = "supervisor");

/// Opens a session (REQUIREs success) and returns its id.
std::string open_register(domain::RegisterService& registers, const std::string& register_id,
                          std::int64_t float_minor = 10000);

/// Polls `condition` (every 2 ms, at most `timeout_ms`); true once it holds.
bool wait_for(const std::function<bool()>& condition, int timeout_ms = 5000);

/// The audit actions recorded so far, in order.
std::vector<std::string> audit_actions(domain::audit::AuditTrail& trail);

/// A cash drawer device that counts open requests.
class CountingDrawer final : public sdk::CashDrawer {
public:
    explicit CountingDrawer(std::string id) : id_(std::move(id)) {}
    std::string device_id() const override { return id_; }
    sdk::DeviceKind kind() const override { return sdk::DeviceKind::cash_drawer; }
    std::string description() const override { return "test drawer"; }
    sdk::DeviceState state() const override { return sdk::DeviceState::enabled; }
    sdk::DeviceResult open() override { return {}; }
    sdk::DeviceResult claim(std::int64_t) override { return {}; }
    sdk::DeviceResult enable() override { return {}; }
    sdk::DeviceResult disable() override { return {}; }
    sdk::DeviceResult release() override { return {}; }
    sdk::DeviceResult close() override { return {}; }
    sdk::DeviceResult check_health(sdk::HealthCheckLevel, std::string&) override { return {}; }
    sdk::DeviceStatistics statistics() const override { return {}; }
    sdk::DeviceResult open_drawer() override {
        ++opens;
        return {};
    }
    sdk::DrawerState drawer_state() const override { return sdk::DrawerState::unknown; }
    std::atomic<int> opens{0};

private:
    std::string id_;
};

}  // namespace till::test
