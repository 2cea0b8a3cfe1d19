// One home for the vtables of the SDK interfaces (out-of-line destructors)
// and the default behaviour of optional hooks.
#include "till/sdk/host.hpp"
#include "till/sdk/plugin.hpp"

namespace till::sdk {

Plugin::~Plugin() = default;
Status Plugin::on_register(Registrar&) { return {}; }
Status Plugin::on_start(Host&) { return {}; }
void Plugin::on_stop() noexcept {}
PluginInstance::~PluginInstance() = default;

Logger::~Logger() = default;
Clock::~Clock() = default;
SqlExecutor::~SqlExecutor() = default;
Storage::~Storage() = default;
Status Storage::relaxed_transaction(const std::function<Status(SqlExecutor&)>& work) { return transaction(work); }
EventBus::~EventBus() = default;
Registrar::~Registrar() = default;
Registry::~Registry() = default;
Host::~Host() = default;

OrderType::~OrderType() = default;
OrderTypeCapabilities OrderType::capabilities() const { return {}; }
HookResult OrderType::on_line_added(const Order&, const Line&) { return {}; }
HookResult OrderType::on_submitted(const Order&) { return {}; }
HookResult OrderType::on_paid(const Order&) { return {}; }

Device::~Device() = default;
Printer::~Printer() = default;
ReceiptPrinter::~ReceiptPrinter() = default;
Scanner::~Scanner() = default;
CashDrawer::~CashDrawer() = default;
CustomerDisplay::~CustomerDisplay() = default;

PaymentMethod::~PaymentMethod() = default;
SyncTransport::~SyncTransport() = default;
SyncHub::~SyncHub() = default;
void SyncTransport::set_notify_handler(NotifyHandler) {}
Report::~Report() = default;

HttpResponse HttpResponse::json(const Value& body, int status) {
    HttpResponse r;
    r.status = status;
    r.body = body.to_json();
    return r;
}

HttpResponse HttpResponse::problem(int status, std::string title, std::string detail,
                                   std::string json_path) {
    Value body = Value::map();
    body.set("type", "about:blank");
    body.set("title", std::move(title));
    body.set("status", status);
    body.set("detail", std::move(detail));
    if (!json_path.empty()) {
        Value err = Value::map();
        err.set("path", json_path);
        err.set("message", body["detail"].as_string());
        Value errors = Value::list();
        errors.push_back(std::move(err));
        body.set("errors", std::move(errors));
    }
    HttpResponse r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = body.to_json();
    return r;
}

}  // namespace till::sdk
