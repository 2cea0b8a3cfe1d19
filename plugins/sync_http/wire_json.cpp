#include "wire_json.hpp"

namespace till::sync_http {

std::string batch_json(const sdk::SyncBatch& batch) {
    sdk::Value body = sdk::Value::map();
    body.set("schema", kWireSchema);
    body.set("batch_id", batch.batch_id);
    body.set("node_id", batch.node_id);
    body.set("events", sdk::Value(sdk::Value::List(batch.events.begin(), batch.events.end())));
    return body.to_json();
}

namespace {

sdk::Error bad(std::string path, std::string what) { return {"invalid_data", path + ": " + what}; }

}  // namespace

sdk::Result<PushAnswer> parse_push_answer(std::string_view body) {
    auto parsed = sdk::Value::parse_json(body);
    if (!parsed) return sdk::Error{"invalid_data", "answer is not JSON: " + parsed.error().message};
    const sdk::Value& v = *parsed;
    if (!v.is_map()) return bad("$", "expected an object");
    const sdk::Value* ids = v.find("acknowledged_event_ids");
    if (!ids || !ids->is_list()) return bad("acknowledged_event_ids", "expected a list of event ids");
    PushAnswer answer;
    for (std::size_t i = 0; i < ids->as_list().size(); ++i) {
        const auto& id = ids->as_list()[i];
        if (!id.is_string()) return bad("acknowledged_event_ids[" + std::to_string(i) + "]", "expected a string");
        answer.acknowledged_event_ids.push_back(id.as_string());
    }
    answer.acknowledged_sequence = v["acknowledged_sequence"].as_int(0);
    return answer;
}

sdk::Result<PullAnswer> parse_pull_answer(std::string_view body) {
    auto parsed = sdk::Value::parse_json(body);
    if (!parsed) return sdk::Error{"invalid_data", "answer is not JSON: " + parsed.error().message};
    const sdk::Value& v = *parsed;
    if (!v.is_map()) return bad("$", "expected an object");
    if (v["schema"].as_int(-1) != kWireSchema)
        return bad("schema", "expected " + std::to_string(kWireSchema) + ", got " + v["schema"].to_json());
    if (!v["revision"].is_int() || v["revision"].as_int() < 0) return bad("revision", "expected an integer >= 0");
    const sdk::Value* changes = v.find("changes");
    if (!changes || !changes->is_list()) return bad("changes", "expected a list");
    PullAnswer answer;
    answer.revision = v["revision"].as_int();
    answer.more = v["more"].as_bool(false);
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < changes->as_list().size(); ++i) {
        const auto& change = changes->as_list()[i];
        const std::string path = "changes[" + std::to_string(i) + "]";
        if (!change.is_map()) return bad(path, "expected an object");
        if (!change["revision"].is_int() || change["revision"].as_int() <= previous)
            return bad(path + ".revision", "expected an integer above the previous change's");
        if (!change["type"].is_string()) return bad(path + ".type", "expected a string");
        previous = change["revision"].as_int();
        answer.changes.push_back(change);
    }
    if (!answer.changes.empty() && answer.revision < previous)
        return bad("revision", "below the newest change's revision");
    return answer;
}

std::string problem_text(std::string_view body) {
    auto parsed = sdk::Value::parse_json(body);
    if (parsed && parsed->is_map()) {
        if ((*parsed)["detail"].is_string() && !(*parsed)["detail"].as_string().empty())
            return (*parsed)["detail"].as_string();
        if ((*parsed)["title"].is_string()) return (*parsed)["title"].as_string();
    }
    return std::string(body.substr(0, 200));
}

sdk::Result<std::int64_t> parse_revision_notice(std::string_view text) {
    auto parsed = sdk::Value::parse_json(text);
    if (!parsed || !parsed->is_map()) return sdk::Error{"invalid_data", "notification is not a JSON object"};
    if ((*parsed)["type"].as_string() != "revision") return sdk::Error{"invalid_data", "not a revision notification"};
    if (!(*parsed)["revision"].is_int()) return sdk::Error{"invalid_data", "revision: expected an integer"};
    return (*parsed)["revision"].as_int();
}

}  // namespace till::sync_http
