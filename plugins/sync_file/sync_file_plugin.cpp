// sync_file: the plugin glue. On a store it registers the transport "file";
// on an HQ node (Host::sync_hub() set) it runs the bundle exchange instead
// (the transport is registered too, answering failed, since registration
// happens before the node's role is known to the plugin).
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "hq_bundle_exchange.hpp"
#include "store_file_transport.hpp"

namespace {

using namespace till::sdk;
using namespace till::sync_file;
namespace fs = std::filesystem;

constexpr const char* kPluginId = "sync_file";

std::string resolve(const std::string& path, const fs::path& base) {
    if (path.empty()) return path;
    fs::path p(path);
    if (p.is_relative()) p = base / p;
    return p.lexically_normal().string();
}

/// Forwards to the store transport made in on_start.
class TransportSlot final : public SyncTransport {
public:
    std::string id() const override { return "file"; }
    PushResult push(const SyncBatch& batch, std::int64_t timeout_ms) override {
        auto t = get();
        if (!t) return {TransportStatus::failed, {}, message()};
        return t->push(batch, timeout_ms);
    }
    PullResult pull(std::int64_t since_revision, std::int64_t timeout_ms) override {
        auto t = get();
        if (!t) return {TransportStatus::failed, since_revision, false, {}, message()};
        return t->pull(since_revision, timeout_ms);
    }
    void install(std::shared_ptr<StoreFileTransport> transport, std::string why_none) {
        std::lock_guard lock(mutex_);
        transport_ = std::move(transport);
        why_none_ = std::move(why_none);
    }
    std::shared_ptr<StoreFileTransport> get() {
        std::lock_guard lock(mutex_);
        return transport_;
    }

private:
    std::string message() {
        std::lock_guard lock(mutex_);
        return why_none_;
    }
    std::mutex mutex_;
    std::shared_ptr<StoreFileTransport> transport_;
    std::string why_none_ = "sync_file is not started";
};

class SyncFilePlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        slot_ = std::make_shared<TransportSlot>();
        return registrar.add_sync_transport(slot_);
    }

    Status on_start(Host& host) override {
        const Value& config = host.config();
        const fs::path base = fs::path(host.node().data_dir) / "plugins" / kPluginId;
        const std::string export_dir = resolve(config["export_dir"].as_string("export"), base);
        const std::string import_dir = resolve(config["import_dir"].as_string("import"), base);
        const auto max_body = config["max_bundle_bytes"].as_int(512LL * 1024 * 1024);
        if (export_dir.empty() || import_dir.empty())
            return Status::failure("invalid_argument", "sync_file.export_dir and sync_file.import_dir must not be empty");
        // Create the default folders under the data dir; a configured mount
        // point that is absent (no medium) is fine: calls report "offline".
        for (const auto& dir : {export_dir, import_dir}) {
            if (dir.rfind(base.string(), 0) != 0) continue;
            std::error_code ec;
            fs::create_directories(dir, ec);
            if (ec) return Status::failure("io_error", "cannot create " + dir + ": " + ec.message());
        }

        if (SyncHub* hub = host.sync_hub()) {
            HqExchangeOptions o;
            o.node_id = host.node().node_id;
            o.import_dir = import_dir;
            o.export_dir = export_dir;
            o.poll_interval_ms = config["poll_interval_ms"].as_int(o.poll_interval_ms);
            o.import_chunk_events = config["import_chunk_events"].as_int(o.import_chunk_events);
            o.max_master_changes = config["max_master_changes"].as_int(o.max_master_changes);
            o.max_body_bytes = static_cast<std::size_t>(max_body);
            exchange_ = std::make_unique<HqBundleExchange>(o, *hub, host.clock(), host.logger());
            hub_ = hub;
            HqBundleExchange* exchange = exchange_.get();
            hub->set_revision_handler(kPluginId, [exchange](std::int64_t revision) { exchange->on_revision(revision); });
            exchange_->start();
            slot_->install(nullptr, "sync_file runs as HQ's bundle importer on this node, not as a transport");
            host.logger().info("sync_file (HQ): importing events bundles from " + import_dir +
                               ", writing master bundles to " + export_dir);
            return {};
        }

        StoreFileOptions o;
        o.node_id = host.node().node_id;
        o.export_dir = export_dir;
        o.import_dir = import_dir;
        o.token = config["token"].as_string("");
        o.token_file = resolve(config["token_file"].as_string(""), base);
        o.max_body_bytes = static_cast<std::size_t>(max_body);
        if (o.token.empty() && o.token_file.empty())
            host.logger().warn("sync_file: no token or token_file: bundles cannot be signed (status unauthorised)");
        slot_->install(std::make_shared<StoreFileTransport>(o, host.clock(), host.logger()), {});
        host.logger().info("sync transport file: exporting to " + export_dir + ", importing from " + import_dir);
        return {};
    }

    void on_stop() noexcept override {
        if (hub_) hub_->set_revision_handler(kPluginId, {});
        if (exchange_) exchange_->stop();
        exchange_.reset();
        hub_ = nullptr;
        if (slot_) slot_->install(nullptr, "sync_file is stopped");
    }

private:
    std::shared_ptr<TransportSlot> slot_;
    SyncHub* hub_ = nullptr;
    std::unique_ptr<HqBundleExchange> exchange_;
};

}  // namespace

TILL_PLUGIN(SyncFilePlugin, "sync_file", "0.1.0")
