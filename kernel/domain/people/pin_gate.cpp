#include "domain/people/pin_gate.hpp"

namespace till::domain::people {

PinGate::Pass PinGate::enter(const std::string& user_id) {
    std::unique_lock lock(mutex_);
    left_.wait(lock, [&] { return busy_.count(user_id) == 0; });
    busy_.insert(user_id);
    return Pass(*this, user_id);
}

void PinGate::leave(const std::string& user_id) {
    {
        std::lock_guard lock(mutex_);
        busy_.erase(user_id);
    }
    left_.notify_all();
}

}  // namespace till::domain::people
