// Opens the cash drawer after a cash movement without making the sale wait:
// requests go to a thread of its own, which finds the drawer (the configured
// device id, else the first CashDrawer registered), brings it to `enabled`
// if it is not (open, claim, enable) and kicks it. Failures are logged,
// never reported to the payment: the money is taken either way.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <till/sdk/device.hpp>
#include <till/sdk/host.hpp>

namespace till::payment_cash {

class DrawerOpener {
public:
    /// `registry` and `logger` must outlive the opener. `device_id` "" = any drawer.
    DrawerOpener(const till::sdk::Registry& registry, till::sdk::Logger& logger, std::string device_id);
    /// Finishes the kick in progress (if any) and drops pending ones.
    ~DrawerOpener();
    DrawerOpener(const DrawerOpener&) = delete;
    DrawerOpener& operator=(const DrawerOpener&) = delete;

    /// Asks for one drawer opening; returns at once.
    void request(std::string why);
    /// Drawer openings done so far (successful kicks), for tests and health.
    std::uint64_t opened_count() const;

private:
    void run();
    std::shared_ptr<till::sdk::CashDrawer> find_drawer() const;
    void kick(const std::string& why);

    const till::sdk::Registry& registry_;
    till::sdk::Logger& logger_;
    const std::string device_id_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    int pending_ = 0;
    std::string last_why_;
    bool stopping_ = false;
    std::uint64_t opened_ = 0;
    std::thread worker_;  // last: started once the rest is ready
};

}  // namespace till::payment_cash
