// ScanService: what happens when a barcode is scanned at a terminal.
//
//   ScanService scans(ctx, authorizer, orders, catalog, settings);
//   scans.add_routes(router);   // POST /api/v1/terminals/{terminal_id}/scans
//   scans.attach_scanners();    // after plugins started: every Scanner device
//   ...
//   scans.stop();               // before plugins stop
//
// A scan (from a scanner device, or posted by a screen whose keyboard-wedge
// scanner typed it) is checked (EAN-13/UPC-A/EAN-8 check digit), published
// as `scan.received`, then routed to the terminal's active order — the
// newest open order opened at that terminal:
//   1. a price- or weight-embedded EAN-13 (layouts from `scanning.embedded_layouts`)
//      adds its item with the label's price (audited as price.override with
//      the reason "price-embedded barcode") or weight;
//   2. a code that is a SKU or barcode in the catalog adds that item;
//   3. a code that is a customer id (a loyalty card's QR/CODE128) attaches
//      that customer to the order;
//   4. otherwise `scan.unmatched` is published (a screen may treat it as a
//      gift card or ask the cashier).
// A wrong check digit is `scan.rejected` and changes nothing. A scanner's
// terminal comes from `scanning.terminals` ("scanner-1=T1") or
// `scanning.default_terminal`. Device scans act as the user who opened the
// active order.
//
// Thread-safe: device threads and HTTP workers call handle() at once; a
// version conflict with a concurrent edit is retried (3 times).
#pragma once

#include <memory>
#include <string>

#include "domain/common/auth.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/common/context.hpp"
#include "domain/scanning/scan_settings.hpp"
#include "till/sdk/device.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::api {
class Router;
}

namespace till::domain {
class OrderService;
}

namespace till::domain::scanning {

/// What a scan did.
struct ScanOutcome {
    std::string result;      ///< "line_added" | "customer_attached" | "rejected" | "unmatched" | "no_open_order"
    std::string terminal_id;
    std::string order_id;    ///< when an order was found
    sdk::Value order;        ///< the order after the change (line_added, customer_attached)
    std::string message;     ///< for the cashier (rejected, unmatched, no_open_order)
    sdk::Value to_value() const;
};

class ScanService {
public:
    /// Every reference must outlive the service.
    ScanService(DomainContext& ctx, Authorizer& authorizer, OrderService& orders, const CatalogLookup& catalog,
                ScanSettings settings);
    ~ScanService();  ///< stop()
    ScanService(const ScanService&) = delete;
    ScanService& operator=(const ScanService&) = delete;

    /// POST /api/v1/terminals/{terminal_id}/scans {"data": "...", "symbology"?: "..."}
    /// (action order.create): 201 line added / 200 customer attached with the
    /// outcome; 422 rejected (check digit); 404 unmatched; 409 no open order.
    sdk::Status add_routes(api::Router& router);

    /// Sets the scan handler of every Scanner device in the registry and
    /// opens, claims and enables it. A scanner that fails is logged and left
    /// out; returns how many were attached.
    int attach_scanners();
    /// Disables and releases the attached scanners; idempotent.
    void stop();

    /// One scan at `terminal_id`. `by` is the caller for API scans; nullptr
    /// for device scans (the active order's user acts).
    ScanOutcome handle(const std::string& terminal_id, const std::string& data, const std::string& device_id,
                       const Authorization* by);

    /// The terminal a scanner device serves ("" when none is configured).
    std::string terminal_for(const std::string& device_id) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::domain::scanning
