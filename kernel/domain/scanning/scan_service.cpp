#include "domain/scanning/scan_service.hpp"

#include <mutex>
#include <vector>

#include "api/router.hpp"
#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/scanning/barcode_check.hpp"

namespace till::domain::scanning {

namespace {

constexpr int kConflictRetries = 3;

struct ActiveOrder {
    std::string order_id;
    std::string user_id;
};

}  // namespace

sdk::Value ScanOutcome::to_value() const {
    sdk::Value v = sdk::Value::map();
    v.set("result", result);
    v.set("terminal_id", terminal_id);
    v.set("order_id", order_id.empty() ? sdk::Value() : sdk::Value(order_id));
    if (!order.is_null()) v.set("order", order);
    if (!message.empty()) v.set("message", message);
    return v;
}

struct ScanService::Impl {
    DomainContext& ctx;
    Authorizer& authorizer;
    OrderService& orders;
    const CatalogLookup& catalog;
    ScanSettings settings;
    std::mutex attached_mutex;
    std::vector<std::shared_ptr<sdk::Scanner>> attached;

    Impl(DomainContext& c, Authorizer& a, OrderService& o, const CatalogLookup& cat, ScanSettings s)
        : ctx(c), authorizer(a), orders(o), catalog(cat), settings(std::move(s)) {}

    /// The newest open order opened at `terminal_id` (read-only query on the
    /// orders table; the orders service owns every write).
    sdk::Result<std::optional<ActiveOrder>> active_order(const std::string& terminal_id) {
        auto rows = ctx.storage.query(
            "SELECT order_id, user_id FROM orders WHERE terminal_id = ? AND state = 'open' "
            "ORDER BY opened_utc_ms DESC, order_id DESC LIMIT 1",
            {sdk::Value(terminal_id)});
        if (!rows) return rows.error();
        if (rows->rows.empty()) return std::optional<ActiveOrder>();
        return std::optional<ActiveOrder>(ActiveOrder{rows->rows[0][0].as_string(), rows->rows[0][1].as_string()});
    }

    void publish(const std::string& topic, const ScanOutcome& outcome, const std::string& device_id,
                 const std::string& data) {
        sdk::Value payload = outcome.to_value();
        payload.set("device_id", device_id);
        payload.set("data", data);
        payload.mutable_map().erase("order");
        ctx.events.publish(topic, payload);
    }
};

ScanService::ScanService(DomainContext& ctx, Authorizer& authorizer, OrderService& orders,
                         const CatalogLookup& catalog, ScanSettings settings)
    : impl_(std::make_unique<Impl>(ctx, authorizer, orders, catalog, std::move(settings))) {}

ScanService::~ScanService() { stop(); }

std::string ScanService::terminal_for(const std::string& device_id) const {
    auto it = impl_->settings.terminal_of.find(device_id);
    return it != impl_->settings.terminal_of.end() ? it->second : impl_->settings.default_terminal;
}

ScanOutcome ScanService::handle(const std::string& terminal_id, const std::string& data, const std::string& device_id,
                                const Authorization* by) {
    Impl& m = *impl_;
    ScanOutcome out;
    out.terminal_id = terminal_id;
    const BarcodeCheck check = check_barcode(data);
    {
        sdk::Value received = sdk::Value::map();
        received.set("device_id", device_id);
        received.set("terminal_id", terminal_id);
        received.set("data", data);
        received.set("symbology", check.symbology);
        received.set("valid", check.valid);
        auto embedded = check.symbology == "ean13" ? parse_embedded(data, m.settings.embedded) : std::nullopt;
        if (embedded) {
            sdk::Value e = sdk::Value::map();
            e.set("item_code", embedded->item_code);
            if (embedded->price_minor) e.set("price_minor", static_cast<long long>(*embedded->price_minor));
            if (embedded->qty_milli) e.set("qty_milli", static_cast<long long>(*embedded->qty_milli));
            received.set("embedded", e);
        }
        m.ctx.events.publish("scan.received", received);
    }
    if (!check.valid) {
        out.result = "rejected";
        out.message = check.reason;
        m.publish("scan.rejected", out, device_id, data);
        return out;
    }

    for (int attempt = 0; attempt <= kConflictRetries; ++attempt) {
        auto active = m.active_order(terminal_id);
        if (!active) {
            out.result = "error";
            out.message = active.error().message;
            return out;
        }
        if (!*active) {
            out.result = "no_open_order";
            out.message = "no open order at terminal " + terminal_id + ": open one, then scan again";
            m.publish("scan.unmatched", out, device_id, data);
            return out;
        }
        out.order_id = (*active)->order_id;
        Authorization acting;
        if (by != nullptr) {
            acting = *by;
        } else {
            acting.principal.user_id = (*active)->user_id;
            acting.principal.terminal_id = terminal_id;
            acting.principal.user_name = "scanner:" + device_id;
        }
        auto current = m.orders.get(out.order_id);
        if (!current) {
            out.result = "error";
            out.message = current.error().message;
            return out;
        }

        AddLineRequest line;
        bool is_item = false;
        const auto embedded = check.symbology == "ean13" ? parse_embedded(data, m.settings.embedded) : std::nullopt;
        if (embedded && m.catalog.find_item(embedded->item_code)) {
            line.sku = embedded->item_code;
            if (embedded->qty_milli) line.qty_milli = *embedded->qty_milli;
            if (embedded->price_minor) line.unit_price_minor = *embedded->price_minor;
            is_item = true;
        } else if (m.catalog.find_item(data)) {
            line.sku = data;
            is_item = true;
        }
        line.sku_path = "$.data";
        if (is_item) {
            // The label's price is what the scale printed: recorded as a price
            // override with its reason rather than silently replacing the price.
            Permit permit = [&](std::string_view action) -> sdk::Result<Authorization> {
                if (action == action::price_override && embedded && embedded->price_minor) {
                    Authorization label = acting;
                    label.override_reason = "price-embedded barcode " + data;
                    return label;
                }
                if (by != nullptr) return sdk::Error{std::string(error_code::override_required),
                                                     std::string(action) + " needs a supervisor"};
                return sdk::Error{std::string(error_code::forbidden),
                                  std::string(action) + " cannot be granted to a scanner"};
            };
            auto added = m.orders.add_line(out.order_id, current->version, line, acting, permit);
            if (!added && added.error().code == error_code::conflict) continue;
            if (!added) {
                out.result = "rejected";
                out.message = added.error().message;
                m.publish("scan.rejected", out, device_id, data);
                return out;
            }
            out.result = "line_added";
            out.order = orders::order_to_json(*added);
            return out;
        }
        if (is_uuid_text(data)) {
            ChangeOrderRequest change;
            change.customer_id = data;
            Permit none = [](std::string_view action) -> sdk::Result<Authorization> {
                return sdk::Error{std::string(error_code::forbidden), std::string(action) + " not granted by a scan"};
            };
            auto changed = m.orders.change_order(out.order_id, current->version, change, acting, none);
            if (!changed && changed.error().code == error_code::conflict) continue;
            if (changed) {
                out.result = "customer_attached";
                out.order = orders::order_to_json(*changed);
                return out;
            }
        }
        out.result = "unmatched";
        out.message = "no item or customer has the code " + data;
        m.publish("scan.unmatched", out, device_id, data);
        return out;
    }
    out.result = "rejected";
    out.message = "the order kept changing while the scan was added; scan again";
    m.publish("scan.rejected", out, device_id, data);
    return out;
}

int ScanService::attach_scanners() {
    Impl& m = *impl_;
    int count = 0;
    for (const auto& id : m.ctx.registry.device_ids()) {
        auto device = m.ctx.registry.device(id);
        if (!device || device->kind() != sdk::DeviceKind::scanner) continue;
        // The registry hands out Device pointers; scanners are registered as
        // sdk::Scanner by contract (kind() == scanner).
        auto scanner = std::static_pointer_cast<sdk::Scanner>(device);
        const std::string terminal = terminal_for(id);
        if (terminal.empty()) {
            m.ctx.logger->warn("scanner " + id +
                               " serves no terminal (scanning.terminals / scanning.default_terminal): not attached");
            continue;
        }
        scanner->set_scan_handler([this, id, terminal](const sdk::ScanData& scan) {
            auto outcome = handle(terminal, scan.data, id, nullptr);
            if (outcome.result != "line_added" && outcome.result != "customer_attached")
                impl_->ctx.logger->info("scan at " + terminal + " from " + id + ": " + outcome.result + " " +
                                        outcome.message);
        });
        sdk::DeviceResult r = scanner->state() == sdk::DeviceState::closed ? scanner->open() : sdk::DeviceResult{};
        if (r.ok() && scanner->state() == sdk::DeviceState::opened) r = scanner->claim(1000);
        if (r.ok() && scanner->state() == sdk::DeviceState::claimed) r = scanner->enable();
        if (!r.ok()) {
            m.ctx.logger->warn("scanner " + id + " could not be enabled: " + r.message);
            continue;
        }
        std::lock_guard lock(m.attached_mutex);
        m.attached.push_back(scanner);
        ++count;
    }
    return count;
}

void ScanService::stop() {
    if (!impl_) return;
    std::vector<std::shared_ptr<sdk::Scanner>> scanners;
    {
        std::lock_guard lock(impl_->attached_mutex);
        scanners.swap(impl_->attached);
    }
    for (auto& s : scanners) {
        s->set_scan_handler({});
        if (s->state() == sdk::DeviceState::enabled) s->disable();
        if (s->state() == sdk::DeviceState::claimed) s->release();
    }
}

sdk::Status ScanService::add_routes(api::Router& router) {
    Impl& m = *impl_;
    return router.add(
        sdk::HttpMethod::post, "/api/v1/terminals/{terminal_id}/scans",
        [this, &m](const sdk::HttpRequest& request) -> sdk::HttpResponse {
            try {
                auto who = m.authorizer.authenticate(request);
                if (!who) return to_problem(who.error());
                auto granted = m.authorizer.authorize(*who, action::order_create, request);
                if (!granted) return to_problem(granted.error());
                if (request.body.empty()) return to_problem(invalid_field("$", "expected an object with data"));
                auto body = sdk::Value::parse_json(request.body);
                if (!body)
                    return to_problem(sdk::Error{std::string(error_code::bad_request),
                                                 "body is not valid JSON: " + body.error().message});
                if (!body->is_map()) return to_problem(invalid_field("$", "expected an object"));
                BodyReader r(*body);
                auto data = r.string("data", Need::required, 200);
                auto symbology = r.string("symbology", Need::optional, 32);
                (void)symbology;
                if (r.ok() && data && data->empty()) r.fail("$.data", "must not be empty");
                if (auto s = r.finish(); !s.ok()) return to_problem(s.error());
                auto outcome = handle(request.path_params.at("terminal_id"), *data, "api", &*granted);
                if (outcome.result == "line_added") return sdk::HttpResponse::json(outcome.to_value(), 201);
                if (outcome.result == "customer_attached") return sdk::HttpResponse::json(outcome.to_value(), 200);
                if (outcome.result == "rejected")
                    return to_problem(sdk::Error{std::string(error_code::invalid_argument), "$.data: " + outcome.message});
                if (outcome.result == "unmatched")
                    return to_problem(sdk::Error{std::string(error_code::not_found), outcome.message});
                if (outcome.result == "no_open_order")
                    return to_problem(sdk::Error{std::string(error_code::invalid_state), outcome.message});
                return to_problem(sdk::Error{"internal", outcome.message});
            } catch (const std::exception& e) {
                m.ctx.logger->error(std::string("scan route failed: ") + e.what());
                return to_problem(sdk::Error{"internal", "internal error; see the node log"});
            }
        },
        "kernel");
}

}  // namespace till::domain::scanning
