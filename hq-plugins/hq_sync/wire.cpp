#include "wire.hpp"

namespace till::hq_sync {
namespace {

sdk::Error fail(WireError& error, std::string path, std::string detail) {
    error.json_path = std::move(path);
    error.detail = error.json_path.substr(2) + ": " + std::move(detail);
    return {"invalid_batch", error.detail};
}

}  // namespace

sdk::Result<sdk::SyncBatch> batch_from_json(const sdk::Value& doc, WireError& error) {
    if (!doc.is_map()) {
        error.json_path = "$";
        error.detail = "the batch must be a JSON object {\"schema\", \"batch_id\", \"node_id\", \"events\"}";
        return sdk::Error{"invalid_batch", error.detail};
    }
    const sdk::Value* schema = doc.find("schema");
    if (!schema || !schema->is_int())
        return fail(error, "$.schema", "expected the integer " + std::to_string(kWireSchema));
    if (schema->as_int() != kWireSchema)
        return fail(error, "$.schema",
                    "unsupported schema " + std::to_string(schema->as_int()) + " (this HQ speaks " +
                        std::to_string(kWireSchema) + ")");
    sdk::SyncBatch batch;
    for (const char* key : {"batch_id", "node_id"}) {
        const sdk::Value* v = doc.find(key);
        if (!v || !v->is_string() || v->as_string().empty())
            return fail(error, std::string("$.") + key, "expected a non-empty string");
    }
    batch.batch_id = doc["batch_id"].as_string();
    batch.node_id = doc["node_id"].as_string();
    const sdk::Value* events = doc.find("events");
    if (!events || !events->is_list()) return fail(error, "$.events", "expected a list of events");
    batch.events.reserve(events->size());
    std::size_t i = 0;
    for (const auto& e : events->as_list()) {
        if (!e.is_map())
            return fail(error, "$.events[" + std::to_string(i) + "]", "expected an event object");
        batch.events.push_back(e);
        ++i;
    }
    return batch;
}

sdk::Value push_answer(const sdk::HubApplyResult& result) {
    sdk::Value ids = sdk::Value::list();
    ids.mutable_list().reserve(result.acknowledged_event_ids.size());
    for (const auto& id : result.acknowledged_event_ids) ids.push_back(id);
    sdk::Value v = sdk::Value::map();
    v.set("acknowledged_event_ids", std::move(ids));
    v.set("applied", static_cast<long long>(result.applied_events));
    v.set("duplicates", static_cast<long long>(result.duplicate_events));
    v.set("acknowledged_sequence", static_cast<long long>(result.acknowledged_sequence));
    return v;
}

sdk::Value pull_answer(const sdk::PullResult& result, std::int64_t acknowledged_sequence) {
    sdk::Value changes = sdk::Value::list();
    changes.mutable_list() = result.changes;
    sdk::Value v = sdk::Value::map();
    v.set("schema", static_cast<long long>(kWireSchema));
    v.set("revision", static_cast<long long>(result.revision));
    v.set("more", result.more);
    v.set("acknowledged_sequence", static_cast<long long>(acknowledged_sequence));
    v.set("changes", std::move(changes));
    return v;
}

std::string revision_message(std::int64_t revision) {
    return "{\"revision\":" + std::to_string(revision) + ",\"type\":\"revision\"}";
}

}  // namespace till::hq_sync
