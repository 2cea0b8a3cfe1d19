// Idempotency keys being worked on in this process right now. A request that
// finds its key in flight waits for the first one to finish and then answers
// from the ledger, so one key never reaches a payment method twice at once
// (the ledger's UNIQUE key covers other processes and restarts).
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace till::domain::payments {

class KeyFlights {
public:
    /// Held while a request works on its key; releasing wakes the waiters.
    class Claim {
    public:
        Claim(KeyFlights& owner, std::string key) : owner_(&owner), key_(std::move(key)) {}
        Claim(Claim&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) { other.owner_ = nullptr; }
        Claim(const Claim&) = delete;
        Claim& operator=(const Claim&) = delete;
        Claim& operator=(Claim&&) = delete;
        ~Claim() {
            if (owner_) owner_->release(key_);
        }

    private:
        KeyFlights* owner_;
        std::string key_;
    };

    /// Waits until no other request works on `key`, then claims it.
    Claim claim(const std::string& key);
    /// Claims `key` only when nobody works on it now (the resolver: a key in
    /// flight is being answered by its own request; it does not wait).
    std::optional<Claim> try_claim(const std::string& key);

private:
    void release(const std::string& key);
    std::mutex mutex_;
    std::condition_variable released_;
    std::set<std::string> keys_;
};

}  // namespace till::domain::payments
