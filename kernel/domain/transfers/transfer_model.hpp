// The stock transfer record, the inputs that create and change one, and its
// conversion to and from the record shape sync carries and the conflict
// policies merge (script/conflict_resolver.hpp):
//   {"id": uuid, "version": N, "created_utc_ms": N,
//    "fields": {"from_store", "to_store", "status", "note", "lines": [...],
//               "created_by", "sent_by", "sent_utc_ms", "received_by",
//               "received_utc_ms", "cancelled_by", "cancelled_utc_ms"},
//    "hlc": {<field>: "<wall_ms:15>-<counter:5>-<node_id>"}}
// Every field is present in `fields` ("" or 0 when not yet set, never null,
// so a policy never reads a field as deleted); only a line's
// received_qty_milli is null until the transfer is received.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/customers/customer_model.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::transfers {

using customers::FieldStamp;

namespace status {
inline constexpr std::string_view draft = "draft";
inline constexpr std::string_view sent = "sent";
inline constexpr std::string_view received = "received";
inline constexpr std::string_view cancelled = "cancelled";
}  // namespace status

namespace limits {
inline constexpr std::size_t max_lines = 500;
inline constexpr std::size_t store_id_bytes = 64;
inline constexpr std::size_t sku_bytes = 64;
inline constexpr std::size_t note_bytes = 1000;
inline constexpr std::int64_t max_qty_milli = 1'000'000'000'000;  ///< a billion units
}  // namespace limits

struct TransferLine {
    std::string sku;
    std::int64_t qty_milli = 0;                        ///< sent (or to send), > 0
    std::optional<std::int64_t> received_qty_milli;    ///< null until received; >= 0
};

struct Transfer {
    std::string id;  ///< UUIDv7
    std::string from_store;
    std::string to_store;
    std::string status{status::draft};
    std::string note;
    std::vector<TransferLine> lines;
    std::string created_by;
    std::string sent_by;
    std::int64_t sent_utc_ms = 0;
    std::string received_by;
    std::int64_t received_utc_ms = 0;
    std::string cancelled_by;
    std::int64_t cancelled_utc_ms = 0;
    std::int64_t version = 1;  ///< this node's counter: 1 at creation, +1 per stored change
    std::int64_t created_utc_ms = 0;
    std::int64_t updated_utc_ms = 0;
    std::map<std::string, FieldStamp> field_stamps;
};

/// POST /api/v1/transfers.
struct NewTransfer {
    std::string from_store;
    std::string to_store;
    std::string note;
    std::vector<TransferLine> lines;
};

/// PATCH /api/v1/transfers/{id}: only present fields change.
struct TransferPatch {
    std::int64_t expected_version = 0;
    std::optional<std::string> note;
    std::optional<std::vector<TransferLine>> lines;
    std::optional<std::string> to_store;
};

/// POST /api/v1/transfers/{id}/receive: a received quantity per SKU; SKUs
/// not given are received as sent.
struct ReceivedLine {
    std::string sku;
    std::int64_t received_qty_milli = 0;
};

/// Names of the stamped fields, in a stable order.
const std::vector<std::string>& transfer_fields();
/// Rank of a status in the merge order (draft 1 … closed 7); 0 when unknown.
int status_rank(std::string_view status);
/// True when `id` is 1-64 characters of [A-Za-z0-9._-].
bool is_store_id(std::string_view id);
/// Whether a change to `status` is pushed at once (sent, received, cancelled).
bool is_high_priority(std::string_view status);

/// The record of `transfer` (sync payload, conflict-policy shape).
sdk::Value transfer_record(const Transfer& transfer);
/// The transfer as the API shows it and events carry it: the record plus
/// top-level copies of status, from_store, to_store and updated_utc_ms.
sdk::Value transfer_to_value(const Transfer& transfer);
/// A transfer from a record, validated. Errors "invalid_argument" naming
/// the JSON path ("$.fields.lines[0].qty_milli: ...").
sdk::Result<Transfer> transfer_from_record(const sdk::Value& record);
/// Whether two transfers hold the same fields and stamps.
bool same_fields_and_stamps(const Transfer& a, const Transfer& b);

}  // namespace till::domain::transfers
