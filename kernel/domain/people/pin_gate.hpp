// One PIN check per user at a time in this process. Without it, many wrong
// PINs sent at once for one user all read the user as "not locked" before
// any failure was counted, so far more than auth.lockout_attempts guesses
// were verified per lockout. Holding a user's gate while reading the user,
// verifying the PIN and recording the outcome makes each check see the
// failures counted before it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace till::domain::people {

class PinGate {
public:
    /// Held while one PIN of `user_id` is checked; released on destruction.
    class Pass {
    public:
        Pass() = default;
        Pass(PinGate& gate, std::string user_id) : gate_(&gate), user_id_(std::move(user_id)) {}
        Pass(Pass&& other) noexcept : gate_(other.gate_), user_id_(std::move(other.user_id_)) { other.gate_ = nullptr; }
        Pass(const Pass&) = delete;
        Pass& operator=(const Pass&) = delete;
        Pass& operator=(Pass&&) = delete;
        ~Pass() {
            if (gate_) gate_->leave(user_id_);
        }

    private:
        PinGate* gate_ = nullptr;
        std::string user_id_;
    };

    /// Waits until no other PIN check of `user_id` runs, then enters.
    Pass enter(const std::string& user_id);

private:
    void leave(const std::string& user_id);
    std::mutex mutex_;
    std::condition_variable left_;
    std::set<std::string> busy_;
};

}  // namespace till::domain::people
