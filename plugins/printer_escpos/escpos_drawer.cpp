#include "escpos_drawer.hpp"

#include "device_lifecycle.hpp"

namespace till::printer_escpos {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;

EscposDrawer::EscposDrawer(DrawerConfig config, std::shared_ptr<EscposPrinter> printer)
    : config_(std::move(config)), printer_(std::move(printer)) {
    stats_.extra = {{"pulses", 0}};
}

std::string EscposDrawer::description() const {
    return "cash drawer on " + printer_->device_id() + " (pin " + std::to_string(config_.pin) + ")";
}

sdk::DeviceState EscposDrawer::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

DeviceResult EscposDrawer::step(int call) {
    std::lock_guard lock(mutex_);
    auto s = lifecycle_step(state_, static_cast<LifecycleCall>(call));
    if (s.result.ok()) state_ = s.next;
    return s.result;
}

DeviceResult EscposDrawer::open() {
    return step(static_cast<int>(LifecycleCall::open));
}
DeviceResult EscposDrawer::claim(std::int64_t timeout_ms) {
    if (timeout_ms < 0) return DeviceResult::failure(DeviceErrorCode::illegal, "claim: timeout_ms must be 0 or more");
    return step(static_cast<int>(LifecycleCall::claim));
}
DeviceResult EscposDrawer::enable() {
    return step(static_cast<int>(LifecycleCall::enable));
}
DeviceResult EscposDrawer::disable() {
    return step(static_cast<int>(LifecycleCall::disable));
}
DeviceResult EscposDrawer::release() {
    return step(static_cast<int>(LifecycleCall::release));
}
DeviceResult EscposDrawer::close() {
    return step(static_cast<int>(LifecycleCall::close));
}

DeviceResult EscposDrawer::check_health(sdk::HealthCheckLevel level, std::string& report) {
    if (level == sdk::HealthCheckLevel::interactive) {
        report = "interactive check not supported: open the drawer";
        return DeviceResult::failure(DeviceErrorCode::illegal, report);
    }
    if (level == sdk::HealthCheckLevel::internal) {
        report = "configured: " + description();
        return DeviceResult::success();
    }
    const auto st = printer_->printer_status(printer_->config().status_timeout_ms);
    report = st.message;
    return st.online ? DeviceResult::success() : DeviceResult::failure(DeviceErrorCode::offline, report);
}

sdk::DeviceStatistics EscposDrawer::statistics() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

DeviceResult EscposDrawer::open_drawer() {
    {
        std::lock_guard lock(mutex_);
        ++stats_.operations;
        auto s = lifecycle_step(state_, LifecycleCall::io);
        if (!s.result.ok()) return s.result;
    }
    const auto& pc = printer_->config();
    auto r = printer_->pulse_drawer(config_.pin, config_.on_ms, config_.off_ms,
                                    pc.connect_timeout_ms + pc.status_timeout_ms);
    std::lock_guard lock(mutex_);
    if (!r.ok()) {
        ++stats_.failures;
        stats_.last_failure = r.message;
        return r;
    }
    stats_.extra["pulses"] += 1;
    return r;
}

sdk::DrawerState EscposDrawer::drawer_state() const {
    if (!printer_->reports_drawer()) return sdk::DrawerState::unknown;
    return printer_->printer_status(printer_->config().status_timeout_ms).drawer;  // unknown without an answer
}

}  // namespace till::printer_escpos
