#include "drawer_opener.hpp"

#include <exception>

namespace till::payment_cash {

using namespace till::sdk;

namespace {
constexpr std::int64_t kClaimTimeoutMs = 1000;
constexpr int kMaxPending = 16;
}  // namespace

DrawerOpener::DrawerOpener(const Registry& registry, Logger& logger, std::string device_id)
    : registry_(registry), logger_(logger), device_id_(std::move(device_id)), worker_([this] { run(); }) {}

DrawerOpener::~DrawerOpener() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        pending_ = 0;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void DrawerOpener::request(std::string why) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (pending_ >= kMaxPending) {
            logger_.warn("cash drawer request dropped (" + std::to_string(kMaxPending) + " waiting): " + why);
            return;
        }
        ++pending_;
        last_why_ = std::move(why);
    }
    wake_.notify_one();
}

std::uint64_t DrawerOpener::opened_count() const {
    std::lock_guard lock(mutex_);
    return opened_;
}

std::shared_ptr<CashDrawer> DrawerOpener::find_drawer() const {
    if (!device_id_.empty()) return std::dynamic_pointer_cast<CashDrawer>(registry_.device(device_id_));
    for (const auto& id : registry_.device_ids()) {
        auto device = registry_.device(id);
        if (device && device->kind() == DeviceKind::cash_drawer)
            if (auto drawer = std::dynamic_pointer_cast<CashDrawer>(device)) return drawer;
    }
    return nullptr;
}

void DrawerOpener::kick(const std::string& why) {
    auto drawer = find_drawer();
    if (!drawer) {
        if (!device_id_.empty())
            logger_.warn("cash drawer \"" + device_id_ + "\" is not registered; drawer not opened (" + why + ")");
        return;  // no drawer on this till: nothing to do
    }
    DeviceResult r = DeviceResult::success();
    if (drawer->state() == DeviceState::closed) r = drawer->open();
    if (r.ok() && drawer->state() == DeviceState::opened) r = drawer->claim(kClaimTimeoutMs);
    if (r.ok() && drawer->state() == DeviceState::claimed) r = drawer->enable();
    if (r.ok()) r = drawer->open_drawer();
    if (!r.ok()) {
        logger_.warn("cash drawer " + drawer->device_id() + " did not open (" + why + "): " + r.message);
        return;
    }
    std::lock_guard lock(mutex_);
    ++opened_;
}

void DrawerOpener::run() {
    for (;;) {
        std::string why;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || pending_ > 0; });
            if (stopping_) return;
            --pending_;
            why = last_why_;
        }
        try {
            kick(why);
        } catch (const std::exception& e) {
            logger_.error(std::string("cash drawer threw: ") + e.what());
        } catch (...) {
            logger_.error("cash drawer threw a non-standard exception");
        }
    }
}

}  // namespace till::payment_cash
