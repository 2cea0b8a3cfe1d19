#include "sync/default_policy.hpp"

#include <set>
#include <string>

namespace till::sync {
namespace {

using sdk::Value;

const std::string& stamp_of(const Value& record, const std::string& field) {
    static const std::string none;
    const Value* stamp = record["hlc"].find(field);
    return stamp && stamp->is_string() ? stamp->as_string() : none;
}

const Value* field_of(const Value& record, const std::string& field) { return record["fields"].find(field); }

// Lua's tostring() of a field value, for the tie-break: "nil" when absent.
std::string value_text(const Value* v) {
    if (!v || v->is_null()) return "nil";
    switch (v->type()) {
        case Value::Type::string: return v->as_string();
        case Value::Type::integer: return std::to_string(v->as_int());
        case Value::Type::boolean: return v->as_bool() ? "true" : "false";
        default: return v->to_json();
    }
}

const std::map<std::string, int, std::less<>>& transfer_order() {
    static const std::map<std::string, int, std::less<>> order = {
        {"draft", 1}, {"requested", 2}, {"approved", 3}, {"cancelled", 4}, {"sent", 5}, {"received", 6}, {"closed", 7}};
    return order;
}

}  // namespace

Value merge_last_writer_wins(const Value& local, const Value& remote) {
    Value merged = Value::map();
    for (const auto& [key, value] : local.as_map())
        if (key != "fields" && key != "hlc") merged.set(key, value);
    for (const auto& [key, value] : remote.as_map())
        if (key != "fields" && key != "hlc" && !merged.find(key)) merged.set(key, value);

    std::set<std::string> names;
    for (const Value* record : {&local, &remote}) {
        for (const auto& [name, v] : (*record)["fields"].as_map()) names.insert(name);
        for (const auto& [name, v] : (*record)["hlc"].as_map()) names.insert(name);
    }
    Value fields = Value::map();
    Value stamps = Value::map();
    for (const auto& name : names) {
        const std::string& mine = stamp_of(local, name);
        const std::string& theirs = stamp_of(remote, name);
        const Value* winner = &local;
        if (theirs > mine) winner = &remote;
        else if (theirs == mine && value_text(field_of(local, name)) < value_text(field_of(remote, name)))
            winner = &remote;
        const std::string& s = stamp_of(*winner, name);
        if (!s.empty()) stamps.set(name, s);
        if (const Value* v = field_of(*winner, name); v && !v->is_null()) fields.set(name, *v);
    }
    merged.set("fields", std::move(fields));
    merged.set("hlc", std::move(stamps));
    return merged;
}

sdk::Result<Value> DefaultConflictPolicy::resolve(std::string_view kind, const Value& local, const Value& remote,
                                                  const Value& base) {
    if (!local.is_map()) return sdk::Error{"invalid_argument", std::string(kind) + ": local record is not an object"};
    if (!remote.is_map())
        return sdk::Error{"invalid_argument", std::string(kind) + ": remote record is not an object"};
    if (kind == "stock_count") {
        if (!local["qty_milli"].is_int())
            return sdk::Error{"invalid_argument", "stock_count: local record has no qty_milli"};
        if (!remote["qty_milli"].is_int())
            return sdk::Error{"invalid_argument", "stock_count: remote record has no qty_milli"};
        const std::int64_t base_qty = base["qty_milli"].as_int(0);
        Value merged = local;
        merged.set("qty_milli", local["qty_milli"].as_int() + remote["qty_milli"].as_int() - base_qty);
        return merged;
    }
    Value merged = merge_last_writer_wins(local, remote);
    if (kind != "transfer") return merged;

    const auto& order = transfer_order();
    const std::string mine_status = value_text(field_of(local, "status"));
    const std::string their_status = value_text(field_of(remote, "status"));
    auto mine_rank = order.find(mine_status);
    if (mine_rank == order.end())
        return sdk::Error{"invalid_argument", "transfer: unknown status '" + mine_status + "' on the local record"};
    auto their_rank = order.find(their_status);
    if (their_rank == order.end())
        return sdk::Error{"invalid_argument", "transfer: unknown status '" + their_status + "' on the remote record"};
    const Value* winner = &local;
    if (their_rank->second > mine_rank->second) winner = &remote;
    if (their_rank->second == mine_rank->second && stamp_of(remote, "status") > stamp_of(local, "status"))
        winner = &remote;
    Value fields = merged["fields"];
    fields.set("status", *field_of(*winner, "status"));
    Value stamps = merged["hlc"];
    const std::string& s = stamp_of(*winner, "status");
    if (!s.empty()) stamps.set("status", s);
    else stamps.mutable_map().erase("status");
    merged.set("fields", std::move(fields));
    merged.set("hlc", std::move(stamps));
    return merged;
}

}  // namespace till::sync
