#include "storage/session_pool.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <condition_variable>
#include <mutex>

#include "storage/statement_runner.hpp"

namespace till::storage::detail {
namespace {

// Poco creates sessions lazily inside get(); customizeSession is its hook
// for a new session, so every pooled session gets the setup.
class CustomizingPool final : public Poco::Data::SessionPool {
public:
    CustomizingPool(const std::string& connector, const std::string& connection_string, int size,
                    std::function<void(Poco::Data::Session&)> setup)
        : Poco::Data::SessionPool(connector, connection_string, 1, size, 60), setup_(std::move(setup)) {}

protected:
    void customizeSession(Poco::Data::Session& session) override {
        if (setup_) setup_(session);
    }

private:
    std::function<void(Poco::Data::Session&)> setup_;
};

}  // namespace

struct SessionPool::Impl {
    std::unique_ptr<CustomizingPool> pool;
    std::mutex mutex;
    std::condition_variable freed;
    int free_slots = 0;
    int size = 0;
};

SessionPool::SessionPool(const std::string& connector, const std::string& connection_string, int size,
                         Setup setup)
    : impl_(std::make_unique<Impl>()) {
    impl_->size = size;
    impl_->free_slots = size;
    impl_->pool = std::make_unique<CustomizingPool>(connector, connection_string, size, std::move(setup));
}

SessionPool::~SessionPool() {
    try {
        impl_->pool->shutdown();
    } catch (...) {
    }
}

SessionLease SessionPool::acquire(std::chrono::milliseconds wait) {
    {
        std::unique_lock lock(impl_->mutex);
        if (!impl_->freed.wait_for(lock, wait, [&] { return impl_->free_slots > 0; }))
            throw StorageFailure("storage_error", "no free database connection within " +
                                                      std::to_string(wait.count()) + " ms (pool of " +
                                                      std::to_string(impl_->size) + ")");
        --impl_->free_slots;
    }
    try {
        return SessionLease(*this, std::make_unique<Poco::Data::Session>(impl_->pool->get()));
    } catch (...) {
        release();
        throw;
    }
}

void SessionPool::release() noexcept {
    {
        std::lock_guard lock(impl_->mutex);
        ++impl_->free_slots;
    }
    impl_->freed.notify_one();
}

SessionLease::SessionLease(SessionPool& pool, std::unique_ptr<Poco::Data::Session> session)
    : pool_(&pool), session_(std::move(session)) {}

SessionLease::SessionLease(SessionLease&& other) noexcept
    : pool_(other.pool_), session_(std::move(other.session_)) {
    other.pool_ = nullptr;
}

SessionLease::~SessionLease() {
    if (!pool_) return;
    // Give the Poco session back first (a dead one is dropped by the pool
    // because isConnected() is false by now), then the slot.
    try {
        session_.reset();
    } catch (...) {
    }
    pool_->release();
}

}  // namespace till::storage::detail
