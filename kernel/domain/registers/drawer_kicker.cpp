#include "domain/registers/drawer_kicker.hpp"

namespace till::domain::registers {

namespace {
constexpr std::size_t kMaxPending = 16;
}

DrawerKicker::DrawerKicker(std::shared_ptr<sdk::Logger> logger)
    : logger_(std::move(logger)), worker_([this] { run(); }) {}

DrawerKicker::~DrawerKicker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

bool DrawerKicker::request_open(std::shared_ptr<sdk::CashDrawer> drawer, std::string why) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= kMaxPending) {
            if (logger_) logger_->log(sdk::LogLevel::warn, "cash drawer request dropped (queue full): " + why);
            return false;
        }
        queue_.emplace_back(std::move(drawer), std::move(why));
    }
    wake_.notify_one();
    return true;
}

void DrawerKicker::run() {
    for (;;) {
        std::pair<std::shared_ptr<sdk::CashDrawer>, std::string> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            sdk::DeviceResult r = job.first->open_drawer();
            if (!r.ok() && logger_)
                logger_->log(sdk::LogLevel::warn, "cash drawer " + job.first->device_id() +
                                                      " did not open (" + job.second + "): " + r.message);
        } catch (const std::exception& e) {
            if (logger_) logger_->log(sdk::LogLevel::error, std::string("cash drawer threw: ") + e.what());
        } catch (...) {
            if (logger_) logger_->log(sdk::LogLevel::error, "cash drawer threw a non-standard exception");
        }
    }
}

}  // namespace till::domain::registers
