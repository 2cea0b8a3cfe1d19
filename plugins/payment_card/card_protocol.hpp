// The card-terminal protocol (PROTOCOL.md): the messages as structs, and
// their JSON lines. Shared by the plugin and by till-card-terminal-sim, so
// the two cannot disagree on a field name.
//
// Requests and answers are one JSON object per line (UTF-8, '\n' ends it,
// at most kMaxLineBytes). Money is integer minor units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

namespace till::payment_card {

inline constexpr std::int64_t kProtocolVersion = 1;
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

enum class Operation { sale, refund, void_payment, status, totals };

/// "sale", "refund", "void", "status", "totals".
const char* operation_name(Operation op) noexcept;
std::optional<Operation> operation_from(std::string_view name) noexcept;

/// One request to the terminal. Which fields apply depends on `op`
/// (PROTOCOL.md, "Requests").
struct TerminalRequest {
    Operation op = Operation::sale;
    std::string key;                 ///< idempotency key (sale, refund, void, status)
    std::string terminal_id;         ///< "" = not sent
    std::int64_t amount_minor = 0;   ///< without the tip
    std::int64_t tip_minor = 0;      ///< sale only
    std::string currency;            ///< ISO 4217, e.g. "EUR"
    std::string order_id;            ///< for the terminal's journal
    std::string original_reference;  ///< refund (optional) and void (required)
    bool close_batch = false;        ///< totals: end the batch after answering
    std::string test_card;           ///< simulator only: picks a test card ("" = by amount)
};

enum class TerminalResult { approved, partially_approved, declined, error, unknown, in_progress, ok };

const char* result_name(TerminalResult r) noexcept;
std::optional<TerminalResult> result_from(std::string_view name) noexcept;

/// One answer from the terminal. A status answer repeats the stored answer
/// of the operation `of` (or says `unknown` / `in_progress`).
struct TerminalAnswer {
    std::string type;                ///< the request's type ("sale", "status", ...)
    std::string of;                  ///< status answers: the operation the key was used for
    std::string key;
    TerminalResult result = TerminalResult::error;
    std::int64_t amount_minor = 0;   ///< echo of the requested amount (without tip)
    std::int64_t approved_minor = 0; ///< approved, without tip
    std::int64_t tip_minor = 0;      ///< approved tip
    std::string currency;
    std::string reference;           ///< the terminal's reference of this transaction
    std::string original_reference;  ///< refunds and voids: what they applied to
    std::string masked_pan;
    std::string brand;
    std::string auth_code;
    std::string error_code;          ///< result error: "bad_request", "key_conflict", "unknown_reference", ...
    std::string message;
    bool replayed = false;           ///< the terminal answered a key it already knew
    sdk::Value totals;               ///< totals answers: the batch's figures (a map)
};

/// The request as a JSON object (one line once serialised with to_json()).
sdk::Value to_value(const TerminalRequest& request);
/// Parses a request object; errors name the field ("$.amount_minor: ...").
sdk::Result<TerminalRequest> parse_request(const sdk::Value& object);

sdk::Value to_value(const TerminalAnswer& answer);
/// Parses one answer line; a line that is not a valid answer is an error
/// (code "protocol_error"), never a guess.
sdk::Result<TerminalAnswer> parse_answer(std::string_view line);

}  // namespace till::payment_card
