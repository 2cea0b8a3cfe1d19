// A node under test for the transfers module: DomainFixture (SQLite or
// PostgreSQL) with its own node id and role, the table-backed
// RecordingReplication (changes kept only when their transaction commits),
// the real audit trail, people service (demo users alice/cashier 1111,
// bob/supervisor 2222, carol/manager 3333), inventory ledger and a fixed
// catalog, a started TransferService, and its routes on a real HTTP server.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/audit/audit_trail.hpp"
#include "domain/inventory/inventory_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain/transfers/transfer_service.hpp"
#include "domain_fixture.hpp"
#include "recording_replication.hpp"
#include "script/rules_engine.hpp"
#include "support/http_client.hpp"

namespace till::test {

/// Items LATTE-BEANS, CUPS and MILK.
class TransferCatalog final : public domain::CatalogLookup {
public:
    std::optional<domain::ItemView> find_item(const std::string& sku_or_barcode) const override;
};

/// The node's ConflictPolicy over the rules engine running scripts/cafe.
class CafePolicy final : public domain::ConflictPolicy {
public:
    CafePolicy();
    sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                    const sdk::Value& base) override;

private:
    std::unique_ptr<script::RulesEngine> engine_;
};

struct TransferNode {
    DomainFixture f;
    RecordingReplication recorded;
    sdk::NodeInfo node;
    std::unique_ptr<domain::DomainContext> context;
    std::unique_ptr<domain::audit::AuditTrail> audit;
    std::unique_ptr<domain::people::PeopleService> people;
    std::unique_ptr<domain::InventoryService> inventory;
    TransferCatalog catalog;
    std::unique_ptr<domain::transfers::TransferService> transfers;
    api::Router router;
    std::unique_ptr<api::HttpServer> server;

    TransferNode(const std::string& node_id, sdk::NodeRole role, Backend backend = Backend::sqlite);
    ~TransferNode();
    domain::DomainContext& ctx() { return *context; }

    HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& token = {});
    /// Logs in through POST /api/v1/auth/login; the token.
    std::string login(const std::string& name, const std::string& pin);
    static sdk::Value json(const HttpReply& r);
    /// The JSON path a problem+json answer names ("" when none).
    static std::string error_path(const HttpReply& r);

    /// Puts `qty_milli` of `sku` on hand with an adjustment movement.
    void stock(const std::string& sku, std::int64_t qty_milli);
    std::int64_t on_hand(const std::string& sku);
    std::int64_t count(const std::string& sql, const std::vector<sdk::Value>& params = {});
    std::int64_t audit_count(const std::string& action);

    /// Creates a draft (must succeed) as carol: 10 CUPS and 2 MILK (milli).
    domain::transfers::Transfer draft(const std::string& from, const std::string& to);
    domain::transfers::Transfer get(const std::string& id);
    static domain::transfers::Actor manager() { return {"user-carol", "T1", "", ""}; }
};

/// Applies `changes` through `applier` in one transaction, as the sync engine
/// does, then after_commit; the stored records.
sdk::Result<std::vector<sdk::Value>> apply_batch(sdk::Storage& storage, domain::ReplicaApplier& applier,
                                                 const std::vector<domain::ReplicatedChange>& changes);

}  // namespace till::test
