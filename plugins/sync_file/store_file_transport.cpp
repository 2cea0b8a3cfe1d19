#include "store_file_transport.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bundle_crypto.hpp"
#include "bundle_files.hpp"
#include "bundle_format.hpp"

namespace till::sync_file {

namespace {

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    const auto first = s.find_first_not_of(ws);
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

}  // namespace

StoreFileTransport::StoreFileTransport(StoreFileOptions options, sdk::Clock& clock, sdk::Logger& logger)
    : options_(std::move(options)), clock_(clock), logger_(logger) {}

std::string StoreFileTransport::export_path() const {
    return (std::filesystem::path(options_.export_dir) / (options_.node_id + ".events" + kBundleExtension)).string();
}

sdk::Result<std::string> StoreFileTransport::bundle_key() const {
    std::string token = options_.token;
    if (token.empty() && !options_.token_file.empty()) {
        std::error_code ec;
        if (!std::filesystem::exists(options_.token_file, ec))
            return sdk::Error{"unauthorized", "sync token file " + options_.token_file + " not found"};
        std::ifstream in(options_.token_file, std::ios::binary);
        if (!in) return sdk::Error{"io_error", "cannot read sync token file " + options_.token_file};
        std::ostringstream text;
        text << in.rdbuf();
        token = trim(text.str());
    }
    if (token.empty())
        return sdk::Error{"unauthorized", "no sync token configured (set sync_file.token or sync_file.token_file)"};
    return sha256_hex(token);
}

sdk::Result<std::optional<StoreFileTransport::MasterBundle>> StoreFileTransport::newest_master(
    const std::string& key) const {
    auto files = list_bundles(options_.import_dir);
    if (!files) return files.error();
    std::optional<MasterBundle> best;
    // The newest bundle addressed to us that we could not use, with why.
    std::int64_t bad_created = -1;
    std::string bad_reason;
    for (const auto& path : *files) {
        auto bytes = read_whole_file(path);
        if (!bytes) {
            logger_.warn(bytes.error().message);
            continue;
        }
        auto header = read_header(*bytes);
        if (!header) {
            // Unreadable header: we cannot tell whom it is for; report it only
            // if nothing usable is found, as the newest by file time.
            std::error_code ec;
            const auto mtime = std::filesystem::last_write_time(path, ec);
            const auto stamp = ec ? 0
                                  : std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                        .count();
            if (stamp > bad_created) {
                bad_created = stamp;
                bad_reason = path + ": " + header.error().message;
            }
            continue;
        }
        if (header->kind != "master" || header->store_id != options_.node_id) continue;
        auto body = open_body(*bytes, *header, key, options_.max_body_bytes);
        std::string problem;
        if (!body) {
            problem = body.error().message;
        } else if ((*body)["schema"].as_int(-1) != 1) {
            problem = "body.schema: expected 1";
        } else if ((*body)["store_id"].as_string() != options_.node_id) {
            problem = "body.store_id: the bundle is for " + (*body)["store_id"].to_json();
        } else if (!(*body)["changes"].is_list()) {
            problem = "body.changes: expected a list";
        }
        if (!problem.empty()) {
            if (header->created_utc_ms > bad_created) {
                bad_created = header->created_utc_ms;
                bad_reason = path + ": " + problem;
            }
            continue;
        }
        MasterBundle m;
        m.path = path;
        m.created_utc_ms = header->created_utc_ms;
        m.since_revision = (*body)["since_revision"].as_int(0);
        m.revision = (*body)["revision"].as_int(0);
        m.acknowledged_sequence = (*body)["acknowledged_sequence"].as_int(0);
        m.changes = (*body)["changes"];
        if (!best || m.created_utc_ms > best->created_utc_ms ||
            (m.created_utc_ms == best->created_utc_ms && m.revision > best->revision))
            best = std::move(m);
    }
    if (bad_created >= 0 && (!best || bad_created >= best->created_utc_ms))
        return sdk::Error{"rejected", bad_reason};
    return best;
}

std::string StoreFileTransport::events_bundle(const sdk::SyncBatch& batch, const std::string& key) const {
    sdk::Value body = sdk::Value::map();
    body.set("schema", 1);
    body.set("batch_id", batch.batch_id);
    body.set("node_id", batch.node_id);
    body.set("events", sdk::Value(sdk::Value::List(batch.events.begin(), batch.events.end())));

    sdk::Value header = sdk::Value::map();
    header.set("kind", "events");
    header.set("node_id", options_.node_id);
    header.set("store_id", options_.node_id);
    header.set("created_utc_ms", static_cast<long long>(clock_.now_utc_ms()));
    header.set("batch_id", batch.batch_id);
    header.set("event_count", static_cast<long long>(batch.events.size()));
    if (!batch.events.empty()) {
        header.set("first_sequence", static_cast<long long>(batch.events.front()["sequence"].as_int()));
        header.set("last_sequence", static_cast<long long>(batch.events.back()["sequence"].as_int()));
    }
    header.set("pull_revision", static_cast<long long>(std::max<std::int64_t>(last_since_.load(), 0)));
    return encode_bundle(header, body, key);
}

sdk::PushResult StoreFileTransport::push(const sdk::SyncBatch& batch, std::int64_t) {
    sdk::PushResult result;
    auto key = bundle_key();
    if (!key) {
        result.status =
            key.error().code == "unauthorized" ? sdk::TransportStatus::unauthorised : sdk::TransportStatus::failed;
        result.message = key.error().message;
        return result;
    }
    if (auto written = write_file_atomically(export_path(), events_bundle(batch, *key)); !written.ok()) {
        result.status = written.error().code == "not_found" ? sdk::TransportStatus::offline
                                                            : sdk::TransportStatus::failed;
        result.message = "cannot export the events bundle: " + written.error().message +
                         (written.error().code == "not_found" ? " (is the medium mounted?)" : "");
        return result;
    }

    result.status = sdk::TransportStatus::ok;
    auto master = newest_master(*key);
    if (!master) {
        // Exported; HQ's answer cannot be read, so nothing is acknowledged.
        result.message = "exported " + std::to_string(batch.events.size()) + " events; HQ's bundle is unusable: " +
                         master.error().message;
        return result;
    }
    if (!*master) return result;
    const std::int64_t acked = (*master)->acknowledged_sequence;
    for (const auto& event : batch.events) {
        const auto seq = event["sequence"].as_int(0);
        if (seq > 0 && seq <= acked) result.acknowledged_event_ids.push_back(event["event_id"].as_string());
    }
    return result;
}

sdk::PullResult StoreFileTransport::pull(std::int64_t since_revision, std::int64_t) {
    last_since_ = since_revision;
    sdk::PullResult result;
    result.revision = since_revision;
    auto key = bundle_key();
    if (!key) {
        result.status =
            key.error().code == "unauthorized" ? sdk::TransportStatus::unauthorised : sdk::TransportStatus::failed;
        result.message = key.error().message;
        return result;
    }
    // With nothing exported (no events pending, or HQ took the file), leave
    // an empty events bundle: it tells HQ this store's revision, so HQ writes
    // it a master bundle.
    std::error_code ec;
    if (std::filesystem::is_directory(options_.export_dir, ec) && !std::filesystem::exists(export_path(), ec)) {
        auto written = write_file_atomically(export_path(), events_bundle({{}, options_.node_id, {}}, *key));
        if (!written.ok()) logger_.warn("sync_file: cannot leave a request for HQ: " + written.error().message);
    }
    auto master = newest_master(*key);
    if (!master) {
        result.status = master.error().code == "not_found" ? sdk::TransportStatus::offline
                                                           : sdk::TransportStatus::rejected;
        result.message = master.error().message;
        return result;
    }
    result.status = sdk::TransportStatus::ok;
    if (!*master) return result;
    const MasterBundle& m = **master;
    if (m.since_revision > since_revision) {
        result.status = sdk::TransportStatus::rejected;
        result.message = m.path + ": holds changes after revision " + std::to_string(m.since_revision) +
                         " but this store is at " + std::to_string(since_revision) +
                         "; export a new events bundle (it carries the store's revision) and bring HQ's answer";
        return result;
    }
    std::int64_t newest = since_revision;
    for (const auto& change : m.changes.as_list()) {
        const auto revision = change["revision"].as_int(0);
        if (revision <= since_revision) continue;
        if (revision <= newest) {
            result.status = sdk::TransportStatus::rejected;
            result.message = m.path + ": changes are not in revision order";
            result.changes.clear();
            result.revision = since_revision;
            return result;
        }
        newest = revision;
        result.changes.push_back(change);
    }
    result.revision = std::max(newest, std::max(since_revision, m.revision));
    return result;
}

}  // namespace till::sync_file
