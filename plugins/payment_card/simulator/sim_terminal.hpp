// The simulated card terminal's brain: decides each request (test cards by
// amount or by the request's `card` field, see ../README.md), keeps every
// outcome by idempotency key (so a key is charged once), the sales it can
// refund or void, and the batch totals; saves all of it to the state file
// before an answer leaves, so outcomes survive a restart (even kill -9).
//
// Thread-safe: one mutex around the state; the server calls it from one
// thread per connection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

#include "card_protocol.hpp"

namespace till::payment_card::sim {

/// What the connection does with a request.
enum class Delivery {
    answer,           ///< send `answer_line`
    close_silently,   ///< outcome decided and saved; close without answering (test card "disconnect")
    hold_silently,    ///< outcome decided and saved; keep the connection open, never answer (test card "timeout")
    hang,             ///< nothing decided yet (test hook): wait for release or for the client to leave
};

struct Decision {
    Delivery delivery = Delivery::answer;
    std::string answer_line;
    TerminalRequest request;              ///< for a hang: what to decide on release
    std::uint64_t release_generation = 0; ///< for a hang: released once the generation moves past it
    std::string summary;                  ///< one line for the simulator's log (no card number)
};

class Terminal {
public:
    /// `state_file` "" keeps the state in memory only.
    explicit Terminal(std::string state_file) : state_file_(std::move(state_file)) {}

    /// Reads the state file if it exists; an unreadable one is an error.
    sdk::Status load();

    /// Decides one request line (a test hook, a malformed line or a request).
    Decision handle(std::string_view line);

    /// A hung request once released: decided now, as it would have been.
    Decision finish_hung(const TerminalRequest& request);
    /// A hung request whose client left: nothing was charged, the key is forgotten.
    void abandon_hung(const std::string& key);
    /// Waits up to `timeout_ms` for a release after `generation`; true when released.
    bool wait_release(std::uint64_t generation, int timeout_ms);

private:
    struct Txn {
        std::string op;
        std::string fingerprint;
        sdk::Value answer;  ///< the stored answer object
    };
    struct Sale {
        std::int64_t approved_minor = 0;
        std::int64_t tip_minor = 0;
        std::int64_t refunded_minor = 0;
        std::string currency;
        bool voided = false;
    };
    struct Totals {
        std::int64_t sales_count = 0, sales_minor = 0, tips_minor = 0;
        std::int64_t refunds_count = 0, refunds_minor = 0;
        std::int64_t voids_count = 0, voids_minor = 0;
    };

    Decision decide(const TerminalRequest& request);  // mutex held
    Decision transaction(const TerminalRequest& request, const std::string& card);  // mutex held
    Decision store(const TerminalRequest& request, TerminalAnswer answer, Delivery delivery);  // mutex held
    Decision totals(const TerminalRequest& request);  // mutex held
    sdk::Status save() const;                         // mutex held
    sdk::Value state_value() const;
    std::string next_reference();

    const std::string state_file_;
    mutable std::mutex mutex_;
    std::condition_variable released_;
    std::uint64_t release_generation_ = 0;
    std::int64_t hang_next_ = 0;
    std::set<std::string> in_flight_;
    std::map<std::string, Txn> by_key_;
    std::map<std::string, Sale> sales_;  ///< by reference
    Totals totals_;
    std::int64_t batch_ = 1;
    std::int64_t next_seq_ = 1;
    std::string currency_;
};

}  // namespace till::payment_card::sim
