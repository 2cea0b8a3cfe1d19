// Opens cash drawers without making the caller wait: requests go to a
// thread of its own, which calls CashDrawer::open_drawer and logs failures.
// A request made while an earlier one is still running is queued (bounded:
// beyond 16 pending requests new ones are dropped and logged).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "till/sdk/device.hpp"
#include "till/sdk/logger.hpp"

namespace till::domain::registers {

class DrawerKicker {
public:
    explicit DrawerKicker(std::shared_ptr<sdk::Logger> logger);
    /// Waits for the request in progress (if any), drops the queued ones.
    ~DrawerKicker();
    DrawerKicker(const DrawerKicker&) = delete;
    DrawerKicker& operator=(const DrawerKicker&) = delete;

    /// Queues an open request for `drawer`; returns at once. False when the
    /// queue is full.
    bool request_open(std::shared_ptr<sdk::CashDrawer> drawer, std::string why);

private:
    void run();

    std::shared_ptr<sdk::Logger> logger_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::pair<std::shared_ptr<sdk::CashDrawer>, std::string>> queue_;
    bool stopping_ = false;
    std::thread worker_;  // last: started once the rest is ready
};

}  // namespace till::domain::registers
