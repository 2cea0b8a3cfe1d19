#include "card_protocol.hpp"

#include <array>
#include <utility>

namespace till::payment_card {

using sdk::Error;
using sdk::Value;

namespace {

constexpr std::size_t kMaxKeyBytes = 200;

const std::array<std::pair<Operation, const char*>, 5> kOperations{{{Operation::sale, "sale"},
                                                                    {Operation::refund, "refund"},
                                                                    {Operation::void_payment, "void"},
                                                                    {Operation::status, "status"},
                                                                    {Operation::totals, "totals"}}};

const std::array<std::pair<TerminalResult, const char*>, 7> kResults{{{TerminalResult::approved, "approved"},
                                                                      {TerminalResult::partially_approved, "partially_approved"},
                                                                      {TerminalResult::declined, "declined"},
                                                                      {TerminalResult::error, "error"},
                                                                      {TerminalResult::unknown, "unknown"},
                                                                      {TerminalResult::in_progress, "in_progress"},
                                                                      {TerminalResult::ok, "ok"}}};

Error bad(const std::string& path, const std::string& what) { return Error{"bad_request", path + ": " + what}; }

bool is_currency(const std::string& s) {
    if (s.size() != 3) return false;
    for (char c : s)
        if (c < 'A' || c > 'Z') return false;
    return true;
}

/// An optional string member: absent/null gives "", another type is an error.
sdk::Status read_string(const Value& o, const char* name, std::string& out) {
    const Value* v = o.find(name);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) return bad(std::string("$.") + name, std::string("must be a string, not ") + Value::type_name(v->type()));
    out = v->as_string();
    return {};
}

sdk::Status read_int(const Value& o, const char* name, std::int64_t& out) {
    const Value* v = o.find(name);
    if (!v || v->is_null()) return {};
    if (!v->is_int()) return bad(std::string("$.") + name, std::string("must be an integer, not ") + Value::type_name(v->type()));
    out = v->as_int();
    return {};
}

}  // namespace

const char* operation_name(Operation op) noexcept {
    for (const auto& [o, name] : kOperations)
        if (o == op) return name;
    return "sale";
}

std::optional<Operation> operation_from(std::string_view name) noexcept {
    for (const auto& [o, n] : kOperations)
        if (name == n) return o;
    return std::nullopt;
}

const char* result_name(TerminalResult r) noexcept {
    for (const auto& [x, name] : kResults)
        if (x == r) return name;
    return "error";
}

std::optional<TerminalResult> result_from(std::string_view name) noexcept {
    for (const auto& [x, n] : kResults)
        if (name == n) return x;
    return std::nullopt;
}

Value to_value(const TerminalRequest& r) {
    Value v = Value::map();
    v.set("v", kProtocolVersion);
    v.set("type", operation_name(r.op));
    if (r.op != Operation::totals) v.set("key", r.key);
    if (!r.terminal_id.empty()) v.set("terminal_id", r.terminal_id);
    if (r.op == Operation::sale || r.op == Operation::refund || r.op == Operation::void_payment) {
        v.set("amount_minor", r.amount_minor);
        v.set("currency", r.currency);
        if (!r.order_id.empty()) v.set("order_id", r.order_id);
        if (r.tip_minor != 0) v.set("tip_minor", r.tip_minor);
        if (!r.original_reference.empty()) v.set("original_reference", r.original_reference);
    }
    if (r.op == Operation::totals && r.close_batch) v.set("close", true);
    if (!r.test_card.empty()) v.set("card", r.test_card);
    return v;
}

sdk::Result<TerminalRequest> parse_request(const Value& o) {
    if (!o.is_map()) return bad("$", "a request is a JSON object");
    std::int64_t version = 0;
    if (auto s = read_int(o, "v", version); !s.ok()) return s.error();
    if (version != kProtocolVersion)
        return bad("$.v", "protocol version " + std::to_string(version) + " is not supported (this terminal speaks " +
                              std::to_string(kProtocolVersion) + ")");
    std::string type;
    if (auto s = read_string(o, "type", type); !s.ok()) return s.error();
    auto op = operation_from(type);
    if (!op) return bad("$.type", "unknown request type \"" + type + "\" (sale, refund, void, status, totals)");
    TerminalRequest r;
    r.op = *op;
    for (auto s : {read_string(o, "key", r.key), read_string(o, "terminal_id", r.terminal_id),
                   read_string(o, "currency", r.currency), read_string(o, "order_id", r.order_id),
                   read_string(o, "original_reference", r.original_reference), read_string(o, "card", r.test_card),
                   read_int(o, "amount_minor", r.amount_minor), read_int(o, "tip_minor", r.tip_minor)})
        if (!s.ok()) return s.error();
    if (const Value* close = o.find("close"); close && !close->is_null()) {
        if (!close->is_bool()) return bad("$.close", "must be true or false");
        r.close_batch = close->as_bool();
    }
    if (r.op == Operation::totals) return r;
    if (r.key.empty()) return bad("$.key", "is required: the idempotency key of the transaction");
    if (r.key.size() > kMaxKeyBytes) return bad("$.key", "is longer than " + std::to_string(kMaxKeyBytes) + " bytes");
    if (r.op == Operation::status) return r;
    if (r.amount_minor <= 0) return bad("$.amount_minor", "must be a positive integer (minor units)");
    if (r.tip_minor < 0) return bad("$.tip_minor", "must not be negative");
    if (r.op == Operation::refund && r.tip_minor != 0) return bad("$.tip_minor", "a refund carries no tip");
    if (!is_currency(r.currency)) return bad("$.currency", "must be an ISO 4217 code such as \"EUR\"");
    if (r.op == Operation::void_payment && r.original_reference.empty())
        return bad("$.original_reference", "is required: the reference of the sale to void");
    return r;
}

Value to_value(const TerminalAnswer& a) {
    Value v = Value::map();
    v.set("v", kProtocolVersion);
    v.set("type", a.type);
    if (!a.of.empty()) v.set("of", a.of);
    if (!a.key.empty()) v.set("key", a.key);
    v.set("result", result_name(a.result));
    const bool money = a.result == TerminalResult::approved || a.result == TerminalResult::partially_approved ||
                       a.result == TerminalResult::declined;
    if (money) {
        v.set("amount_minor", a.amount_minor);
        v.set("approved_minor", a.approved_minor);
        v.set("tip_minor", a.tip_minor);
        v.set("currency", a.currency);
    }
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string*>{"reference", &a.reference},
          {"original_reference", &a.original_reference},
          {"masked_pan", &a.masked_pan},
          {"brand", &a.brand},
          {"auth_code", &a.auth_code},
          {"error", &a.error_code},
          {"message", &a.message}})
        if (!value->empty()) v.set(name, *value);
    if (a.replayed) v.set("replayed", true);
    if (a.totals.is_map()) v.set("totals", a.totals);
    return v;
}

sdk::Result<TerminalAnswer> parse_answer(std::string_view line) {
    auto parsed = Value::parse_json(line);
    auto protocol = [](const std::string& what) { return Error{"protocol_error", what}; };
    if (!parsed) return protocol("the terminal's answer is not JSON: " + parsed.error().message);
    const Value& o = *parsed;
    if (!o.is_map()) return protocol("the terminal's answer is not a JSON object");
    if (o["v"].as_int(-1) != kProtocolVersion)
        return protocol("the terminal's answer has protocol version " + std::to_string(o["v"].as_int(-1)) +
                        ", expected " + std::to_string(kProtocolVersion));
    TerminalAnswer a;
    std::string result;
    for (auto s : {read_string(o, "type", a.type), read_string(o, "of", a.of), read_string(o, "key", a.key),
                   read_string(o, "result", result), read_string(o, "currency", a.currency),
                   read_string(o, "reference", a.reference), read_string(o, "original_reference", a.original_reference),
                   read_string(o, "masked_pan", a.masked_pan), read_string(o, "brand", a.brand),
                   read_string(o, "auth_code", a.auth_code), read_string(o, "error", a.error_code),
                   read_string(o, "message", a.message), read_int(o, "amount_minor", a.amount_minor),
                   read_int(o, "approved_minor", a.approved_minor), read_int(o, "tip_minor", a.tip_minor)})
        if (!s.ok()) return protocol("the terminal's answer is malformed: " + s.message());
    auto r = result_from(result);
    if (!r) return protocol("the terminal's answer has an unknown result \"" + result + "\"");
    a.result = *r;
    a.replayed = o["replayed"].as_bool(false);
    if (const Value* t = o.find("totals"); t && t->is_map()) a.totals = *t;
    return a;
}

}  // namespace till::payment_card
