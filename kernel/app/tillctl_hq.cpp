#include "app/tillctl_hq.hpp"

#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include "config/node_config.hpp"
#include "storage/database.hpp"
#include "sync/hq/hq_schema.hpp"
#include "sync/hq/store_registry.hpp"
#include "sync/hq/token_store.hpp"

namespace till::ctl {

namespace {

int hq_usage() {
    std::cerr << "usage:\n"
                 "  tillctl hq token issue STORE --config FILE\n"
                 "  tillctl hq token revoke STORE --config FILE\n"
                 "  tillctl hq token list --config FILE [--json]\n"
                 "  tillctl hq stores --config FILE [--json]\n";
    return 2;
}

class SystemClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override {
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    }
    std::int64_t monotonic_ms() const noexcept override {
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    }
};

struct Options {
    std::vector<std::string> words;  ///< positional
    std::string config;
    bool json = false;
};

std::optional<Options> parse(const std::vector<std::string>& args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) o.config = args[++i];
        else if (args[i] == "--json") o.json = true;
        else if (args[i].rfind("--", 0) == 0) return std::nullopt;
        else o.words.push_back(args[i]);
    }
    if (o.config.empty()) return std::nullopt;
    return o;
}

/// Opens the HQ node's database with the sync.hq tables; nullptr after
/// printing why (exit code in `code`).
std::unique_ptr<storage::Database> open_hq(const std::string& config_path, int& code) {
    auto load = config::load_node_config(config_path, config::process_env());
    if (!load.diagnostics.empty()) {
        for (const auto& d : load.diagnostics) std::cerr << d.to_string() << "\n";
        std::cerr << config_path << ": " << load.diagnostics.size() << " problem(s)\n";
        code = 2;
        return nullptr;
    }
    const auto& cfg = load.config;
    if (cfg.role != sdk::NodeRole::hq) {
        std::cerr << "tillctl: " << config_path << " is the config of store node " << cfg.node_id
                  << "; sync tokens are issued at HQ (node.role: hq)\n";
        code = 2;
        return nullptr;
    }
    storage::StorageSettings settings{cfg.storage.url, cfg.data_dir, 1, cfg.storage.busy_timeout_ms};
    auto db = storage::Database::open(settings);
    if (!db) {
        std::cerr << "tillctl: " << db.error().message << "\n";
        code = 1;
        return nullptr;
    }
    if (auto st = sync::hq::apply_hq_migrations(**db); !st.ok()) {
        std::cerr << "tillctl: cannot prepare the sync tables of " << (*db)->describe() << ": " << st.message() << "\n";
        code = 1;
        return nullptr;
    }
    return std::move(db.value());
}

std::string utc_text(std::optional<std::int64_t> ms) {
    if (!ms) return "-";
    const std::time_t secs = static_cast<std::time_t>(*ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i + 1 == row.size()) std::cout << row[i];
            else std::cout << std::left << std::setw(static_cast<int>(widths[i]) + 2) << row[i];
        }
        std::cout << "\n";
    }
}

int token_issue(sync::hq::TokenStore& tokens, const std::string& store_id) {
    auto token = tokens.issue(store_id);
    if (!token) {
        std::cerr << "tillctl: " << token.error().message << "\n";
        return token.error().code == "invalid_argument" ? 2 : 1;
    }
    std::cout << *token << "\n";
    std::cerr << "issued a sync token for store " << store_id
              << ": it is shown only now (HQ keeps its SHA-256). Put it in the store's sync_http `token` "
                 "(or token_file).\n";
    return 0;
}

int token_revoke(sync::hq::TokenStore& tokens, const std::string& store_id) {
    auto n = tokens.revoke(store_id);
    if (!n) {
        std::cerr << "tillctl: " << n.error().message << "\n";
        return 1;
    }
    if (*n == 0) {
        std::cout << "store " << store_id << " has no live sync token: nothing revoked\n";
        return 1;
    }
    std::cout << "revoked " << *n << " sync token" << (*n == 1 ? "" : "s") << " of store " << store_id
              << ": its pushes and pulls now get 401 (it keeps selling and queueing)\n";
    return 0;
}

int token_list(sync::hq::TokenStore& tokens, bool json) {
    auto list = tokens.list();
    if (!list) {
        std::cerr << "tillctl: " << list.error().message << "\n";
        return 1;
    }
    if (json) {
        sdk::Value items = sdk::Value::list();
        for (const auto& t : *list) {
            sdk::Value v = sdk::Value::map();
            v.set("store_id", t.store_id);
            v.set("token_sha256_prefix", t.token_sha256.substr(0, 12));
            v.set("issued_utc_ms", t.issued_utc_ms);
            v.set("revoked_utc_ms", t.revoked_utc_ms ? sdk::Value(*t.revoked_utc_ms) : sdk::Value());
            items.push_back(std::move(v));
        }
        std::cout << items.to_json() << "\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows{{"STORE", "TOKEN SHA-256", "ISSUED", "REVOKED"}};
    for (const auto& t : *list)
        rows.push_back({t.store_id, t.token_sha256.substr(0, 12) + "…", utc_text(t.issued_utc_ms),
                        utc_text(t.revoked_utc_ms)});
    print_table(rows);
    return 0;
}

int stores(storage::Database& db, bool json) {
    auto list = sync::hq::store_registry::list(db);
    if (!list) {
        std::cerr << "tillctl: " << list.error().message << "\n";
        return 1;
    }
    if (json) {
        sdk::Value items = sdk::Value::list();
        for (const auto& s : *list) items.push_back(sync::hq::store_to_value(s));
        std::cout << items.to_json() << "\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows{
        {"STORE", "TOKENS", "LAST PUSH", "EVENTS", "ACK SEQ", "LAST PULL", "PULL REV"}};
    for (const auto& s : *list)
        rows.push_back({s.store_id, std::to_string(s.live_tokens), utc_text(s.last_push_utc_ms),
                        std::to_string(s.events_received), std::to_string(s.acknowledged_sequence),
                        utc_text(s.last_pull_utc_ms), std::to_string(s.pull_revision)});
    print_table(rows);
    return 0;
}

}  // namespace

int run_hq_command(const std::vector<std::string>& args) {
    auto opts = parse(args);
    if (!opts || opts->words.empty()) return hq_usage();
    const auto& w = opts->words;
    const bool token_cmd = w[0] == "token" && w.size() >= 2;
    const bool known = (token_cmd && (w[1] == "issue" || w[1] == "revoke") && w.size() == 3) ||
                       (token_cmd && w[1] == "list" && w.size() == 2) || (w[0] == "stores" && w.size() == 1);
    if (!known) return hq_usage();

    int code = 0;
    auto db = open_hq(opts->config, code);
    if (!db) return code;
    SystemClock clock;
    sync::hq::TokenStore tokens(*db, clock);
    if (w[0] == "stores") return stores(*db, opts->json);
    if (w[1] == "issue") return token_issue(tokens, w[2]);
    if (w[1] == "revoke") return token_revoke(tokens, w[2]);
    return token_list(tokens, opts->json);
}

}  // namespace till::ctl
