// One request/answer exchange with the terminal over a fresh TCP connection:
// connect (bounded), send one line, read one line (bounded), close.
//
// What matters for money is *how far* it got when it fails: a request that
// never connected cannot have reached the terminal (safe to call failed);
// once any byte may have been sent, a missing answer means the outcome is
// unknown. Exchange::stage says which.
//
// Thread-safe (no shared state); blocks at most connect_timeout_ms +
// answer_timeout_ms. POSIX sockets, so the plugin needs no network library.
#pragma once

#include <cstdint>
#include <string>

namespace till::payment_card {

enum class ExchangeStage {
    not_sent,  ///< no connection: the terminal never saw the request
    sent,      ///< the request may have reached the terminal; no (complete) answer
    answered,  ///< `line` holds the answer (without its '\n')
};

struct Exchange {
    ExchangeStage stage = ExchangeStage::not_sent;
    std::string line;
    std::string error;  ///< why it stopped short of an answer, for the log
};

/// `request_line` must not contain '\n' (one is appended).
Exchange exchange_line(const std::string& host, int port, const std::string& request_line,
                       std::int64_t connect_timeout_ms, std::int64_t answer_timeout_ms);

}  // namespace till::payment_card
