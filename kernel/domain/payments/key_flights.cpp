#include "domain/payments/key_flights.hpp"

namespace till::domain::payments {

KeyFlights::Claim KeyFlights::claim(const std::string& key) {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [&] { return keys_.count(key) == 0; });
    keys_.insert(key);
    return Claim(*this, key);
}

std::optional<KeyFlights::Claim> KeyFlights::try_claim(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (keys_.count(key) != 0) return std::nullopt;
    keys_.insert(key);
    return std::optional<Claim>(std::in_place, *this, key);
}

void KeyFlights::release(const std::string& key) {
    {
        std::lock_guard lock(mutex_);
        keys_.erase(key);
    }
    released_.notify_all();
}

}  // namespace till::domain::payments
