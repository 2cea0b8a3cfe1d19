#include "hq_bundle_exchange.hpp"

#include <cctype>
#include <chrono>
#include <filesystem>

#include "bundle_files.hpp"
#include "bundle_format.hpp"

namespace till::sync_file {

namespace fs = std::filesystem;

bool safe_store_id(const std::string& id) {
    if (id.empty() || id.size() > 128 || id.front() == '.') return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

HqBundleExchange::HqBundleExchange(HqExchangeOptions options, sdk::SyncHub& hub, sdk::Clock& clock,
                                   sdk::Logger& logger)
    : options_(std::move(options)), hub_(hub), clock_(clock), logger_(logger) {}

HqBundleExchange::~HqBundleExchange() { stop(); }

void HqBundleExchange::start() {
    load_known_stores();
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void HqBundleExchange::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void HqBundleExchange::on_revision(std::int64_t) {
    {
        std::lock_guard lock(mutex_);
        revision_pending_ = true;
    }
    wake_.notify_all();
}

HqExchangeStats HqBundleExchange::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void HqBundleExchange::load_known_stores() {
    auto files = list_bundles(options_.export_dir);
    if (!files) return;
    for (const auto& path : *files) {
        auto bytes = read_whole_file(path);
        if (!bytes) continue;
        auto header = read_header(*bytes);
        if (!header || header->kind != "master") continue;
        std::lock_guard lock(mutex_);
        store_cursors_[header->store_id] = header->fields["since_revision"].as_int(0);
    }
}

void HqBundleExchange::run() {
    for (;;) {
        bool revision = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                           [this] { return stopping_ || revision_pending_; });
            if (stopping_) return;
            revision = std::exchange(revision_pending_, false);
        }
        try {
            scan_once();
            if (revision) {
                std::map<std::string, std::int64_t> stores;
                {
                    std::lock_guard lock(mutex_);
                    stores = store_cursors_;
                }
                std::lock_guard work(work_mutex_);
                for (const auto& [store, since] : stores) write_master(store, since);
            }
        } catch (const std::exception& e) {
            logger_.error(std::string("sync_file: scan failed: ") + e.what());
        }
    }
}

void HqBundleExchange::scan_once() {
    std::lock_guard work(work_mutex_);
    {
        std::lock_guard lock(mutex_);
        ++stats_.scans;
    }
    auto files = list_bundles(options_.import_dir);
    if (!files) {
        if (files.error().code != "not_found") logger_.warn("sync_file: " + files.error().message);
        return;
    }
    for (const auto& path : *files) import_one(path);
}

void HqBundleExchange::reject(const std::string& path, const std::string& reason) {
    logger_.warn("sync_file: rejected " + path + ": " + reason);
    auto moved = move_aside(path, "rejected", clock_.now_utc_ms(), reason);
    if (!moved) logger_.error("sync_file: " + moved.error().message);
    std::lock_guard lock(mutex_);
    ++stats_.rejected_bundles;
}

void HqBundleExchange::import_one(const std::string& path) {
    auto bytes = read_whole_file(path);
    if (!bytes) {
        logger_.warn("sync_file: " + bytes.error().message);
        return;
    }
    auto header = read_header(*bytes);
    if (!header) return reject(path, header.error().message);
    if (header->kind != "events") return;  // a master bundle (ours, or left on the medium): not for import
    const std::string& store = header->store_id;
    if (!safe_store_id(store)) return reject(path, "header.store_id: " + header->fields["store_id"].to_json() +
                                                   " is not a valid store id (letters, digits, '.', '_', '-')");
    auto key = hub_.bundle_key(store);
    if (!key) return reject(path, "store " + store + ": " + key.error().message);
    auto body = open_body(*bytes, *header, *key, options_.max_body_bytes);
    if (!body) return reject(path, body.error().message);
    const sdk::Value& b = *body;
    if (b["schema"].as_int(-1) != 1) return reject(path, "schema: expected 1, got " + b["schema"].to_json());
    if (b["node_id"].as_string() != store)
        return reject(path, "node_id: " + b["node_id"].to_json() + " is not the bundle's store \"" + store + "\"");
    if (!b["events"].is_list()) return reject(path, "events: expected a list");

    const auto& events = b["events"].as_list();
    const auto chunk = static_cast<std::size_t>(std::max<std::int64_t>(options_.import_chunk_events, 1));
    std::int64_t applied = 0, duplicates = 0;
    // An empty events bundle is a store asking for master data only.
    for (std::size_t start = 0; start < events.size(); start += chunk) {
        sdk::SyncBatch batch;
        batch.batch_id = b["batch_id"].as_string();
        batch.node_id = store;
        const std::size_t end = std::min(events.size(), start + chunk);
        batch.events.assign(events.begin() + static_cast<std::ptrdiff_t>(start),
                            events.begin() + static_cast<std::ptrdiff_t>(end));
        auto result = hub_.apply_batch(store, batch);
        if (result.status == sdk::TransportStatus::rejected || result.status == sdk::TransportStatus::unauthorised)
            return reject(path, result.message.empty() ? "refused by HQ" : result.message);
        if (result.status != sdk::TransportStatus::ok) {
            logger_.warn("sync_file: " + path + " left for a later scan: " + result.message);
            return;
        }
        applied += result.applied_events;
        duplicates += result.duplicate_events;
    }
    auto moved = move_aside(path, "done", clock_.now_utc_ms(), {});
    if (!moved) logger_.error("sync_file: " + moved.error().message);
    logger_.info("sync_file: imported " + path + " from " + store + ": " + std::to_string(applied) + " new, " +
                 std::to_string(duplicates) + " already held");
    const std::int64_t since = std::max<std::int64_t>(header->fields["pull_revision"].as_int(0), 0);
    {
        std::lock_guard lock(mutex_);
        ++stats_.imported_bundles;
        store_cursors_[store] = since;
    }
    write_master(store, since);
}

void HqBundleExchange::write_master(const std::string& store_id, std::int64_t since_revision) {
    auto key = hub_.bundle_key(store_id);
    if (!key) {
        logger_.warn("sync_file: no master bundle for " + store_id + ": " + key.error().message);
        return;
    }
    sdk::Value changes = sdk::Value::list();
    std::int64_t revision = since_revision;
    bool more = false;
    for (;;) {
        const std::int64_t room = options_.max_master_changes - static_cast<std::int64_t>(changes.size());
        if (room <= 0) {
            more = true;
            break;
        }
        auto page = hub_.changes_since(store_id, revision, std::min<std::int64_t>(room, 1000));
        if (page.status != sdk::TransportStatus::ok) {
            logger_.warn("sync_file: no master bundle for " + store_id + ": " + page.message);
            return;
        }
        for (auto& change : page.changes) changes.push_back(std::move(change));
        revision = std::max(revision, page.revision);
        if (!page.more || page.changes.empty()) break;
    }
    auto acked = hub_.acknowledged_sequence(store_id);
    if (!acked) {
        logger_.warn("sync_file: no master bundle for " + store_id + ": " + acked.error().message);
        return;
    }
    sdk::Value body = sdk::Value::map();
    body.set("schema", 1);
    body.set("store_id", store_id);
    body.set("since_revision", static_cast<long long>(since_revision));
    body.set("revision", static_cast<long long>(revision));
    body.set("acknowledged_sequence", static_cast<long long>(*acked));
    body.set("more", more);
    const auto change_count = static_cast<long long>(changes.size());
    body.set("changes", std::move(changes));

    sdk::Value header = sdk::Value::map();
    header.set("kind", "master");
    header.set("node_id", options_.node_id);
    header.set("store_id", store_id);
    header.set("created_utc_ms", static_cast<long long>(clock_.now_utc_ms()));
    header.set("since_revision", static_cast<long long>(since_revision));
    header.set("revision", static_cast<long long>(revision));
    header.set("acknowledged_sequence", static_cast<long long>(*acked));
    header.set("change_count", change_count);
    const std::string path = (fs::path(options_.export_dir) / (store_id + kBundleExtension)).string();
    if (auto s = write_file_atomically(path, encode_bundle(header, body, *key)); !s.ok()) {
        logger_.warn("sync_file: cannot write " + path + ": " + s.error().message);
        return;
    }
    std::lock_guard lock(mutex_);
    ++stats_.master_bundles_written;
}

}  // namespace till::sync_file
