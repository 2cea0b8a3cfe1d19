#include "app/tillctl_audit.hpp"

#include <filesystem>
#include <iostream>

#include "config/node_config.hpp"
#include "domain/audit/audit_chain.hpp"
#include "storage/database.hpp"
#include "storage/storage_url.hpp"

namespace till::ctl {

namespace {

int audit_usage() {
    std::cerr << "usage: tillctl audit verify --config FILE\n";
    return 2;
}

int verify(const std::string& config_path) {
    auto load = config::load_node_config(config_path, config::process_env());
    if (!load.diagnostics.empty()) {
        for (const auto& d : load.diagnostics) std::cerr << d.to_string() << "\n";
        std::cerr << config_path << ": " << load.diagnostics.size() << " problem(s)\n";
        return 2;
    }
    const auto& cfg = load.config;
    storage::StorageSettings settings{cfg.storage.url, cfg.data_dir, 1, cfg.storage.busy_timeout_ms};
    auto target = storage::detail::parse_storage_url(settings);
    if (!target) {
        std::cerr << "tillctl: " << target.error().message << "\n";
        return 2;
    }
    // Opening SQLite would create an empty file: refuse a missing database.
    if (target->dialect == sdk::Dialect::sqlite && !std::filesystem::exists(target->connection_string)) {
        std::cerr << "tillctl: no database at " << target->description << " (has the node ever started?)\n";
        return 1;
    }
    auto db = storage::Database::open(settings);
    if (!db) {
        std::cerr << "tillctl: " << db.error().message << "\n";
        return 1;
    }
    auto report = domain::audit::verify_chain(**db);
    if (!report) {
        std::cerr << "tillctl: cannot read the audit log of " << target->description << ": "
                  << report.error().message << "\n";
        return 1;
    }
    if (report->ok) {
        std::cout << "OK: " << report->count << " audit entr" << (report->count == 1 ? "y" : "ies")
                  << " verified in " << target->description << "\n";
        return 0;
    }
    std::cout << "BROKEN: entry " << report->broken_seq << ": " << report->problem << " (" << report->count
              << " entr" << (report->count == 1 ? "y" : "ies") << " before it verified)\n";
    return 1;
}

}  // namespace

int run_audit_command(const std::vector<std::string>& args) {
    if (args.size() == 3 && args[0] == "verify" && args[1] == "--config") return verify(args[2]);
    return audit_usage();
}

}  // namespace till::ctl
