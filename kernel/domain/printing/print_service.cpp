#include <chrono>

#include "domain/orders/order_json.hpp"
#include "domain/printing/print_service_impl.hpp"
#include "domain/printing/receipt_json.hpp"
#include "storage/migrations.hpp"

namespace till::domain::printing {
namespace {

using sdk::Value;

constexpr auto kPoll = std::chrono::milliseconds(200);
constexpr std::int64_t kDayMs = 86400000;

sdk::Error unavailable(std::string message) { return sdk::Error{"unavailable", std::move(message)}; }

bool has_block_of(const sdk::Receipt& r, std::size_t index) {
    for (const auto& b : r.blocks)
        if (b.index() == index) return true;
    return false;
}

}  // namespace

// ---------------------------------------------------------------------------
// Jobs

PrintJobRow PrintService::Impl::new_row(const std::string& kind, const std::string& reference,
                                        const std::string& printer_id, const std::string& terminal_id) {
    PrintJobRow row;
    row.job_id = ctx.ids.next();
    row.printer_id = printer_id;
    row.original_printer_id = printer_id;
    row.kind = kind;
    row.reference = reference;
    row.terminal_id = terminal_id;
    row.created_utc_ms = row.updated_utc_ms = row.next_attempt_utc_ms = ctx.clock.now_utc_ms();
    return row;
}

sdk::Result<sdk::Receipt> PrintService::Impl::render(const std::string& kind, const Value& data) const {
    std::shared_ptr<const TemplateSet> set;
    {
        std::lock_guard lock(mutex);
        set = templates;
        if (!set) return unavailable("printing has no templates: " + templates_error);
    }
    const std::string language = settings.template_language();
    const ReceiptTemplate* t = set->find(kind, language);
    if (!t) return unavailable("no template for receipt kind \"" + kind + "\"");
    RenderOptions options;
    options.locale = settings.locale;
    options.currency = ctx.sales.currency;
    options.utc_offset_minutes = settings.utc_offset_minutes;
    auto receipt = t->render(data, options);
    if (!receipt) return receipt;
    receipt->kind = kind;
    receipt->job_id = data["receipt"]["job_id"].as_string();
    std::string lang = set->language_of(kind, language);
    receipt->language = lang.empty() ? settings.locale.tag : lang;
    return receipt;
}

sdk::Result<Value> PrintService::Impl::payments_of(const std::string& order_id) {
    if (!payments) return Value::list();
    Value out = Value::list();
    auto st = ctx.storage.relaxed_transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto list = payments->order_payments(tx, order_id);
        if (!list) return list.status();
        out = std::move(*list);
        return {};
    });
    if (!st.ok()) return st.error();
    return out;
}

sdk::Result<std::vector<PrintJobRow>> PrintService::Impl::order_jobs(const Value& order, const std::string& kind,
                                                                     const std::string& printer_id,
                                                                     const std::string& terminal_id, bool reprint) {
    const std::string terminal = terminal_id.empty() ? order["terminal_id"].as_string() : terminal_id;
    const std::string printer = printer_id.empty() ? settings.receipt_printer_for(terminal) : printer_id;
    std::vector<PrintJobRow> rows;
    if (printer.empty()) return rows;
    auto payments_list = payments_of(order["order_id"].as_string());
    if (!payments_list) return payments_list.error();
    const int copies = reprint || kind != "sale" ? 1 : settings.copies;
    for (int copy = 1; copy <= copies; ++copy) {
        PrintJobRow row = new_row(kind, order["order_id"].as_string(), printer, terminal);
        ReceiptInfo info{kind, row.job_id, printer, terminal, copy, copies, reprint, ctx.clock.now_utc_ms()};
        auto receipt = render(kind, order_data(order, *payments_list, settings, info));
        if (!receipt) return receipt.error();
        row.document_json = receipt_to_value(*receipt).to_json();
        rows.push_back(std::move(row));
    }
    return rows;
}

sdk::Result<std::vector<PrintJobRow>> PrintService::Impl::kitchen_jobs(const Value& order, const std::string& printer_id,
                                                                       bool reprint) {
    auto routed = kitchen_lines(order, settings, code_of);
    if (!printer_id.empty() && !routed.empty()) {  // a reprint on one printer: every kitchen line there
        std::vector<Value> all;
        for (auto& [printer, lines] : routed) all.insert(all.end(), lines.begin(), lines.end());
        routed.clear();
        routed[printer_id] = std::move(all);
    }
    std::vector<PrintJobRow> rows;
    const std::string terminal = order["terminal_id"].as_string();
    for (auto& [printer, lines] : routed) {
        PrintJobRow row = new_row("kitchen", order["order_id"].as_string(), printer, terminal);
        ReceiptInfo info{"kitchen", row.job_id, printer, terminal, 1, 1, reprint, ctx.clock.now_utc_ms()};
        auto receipt = render("kitchen", kitchen_data(order, std::move(lines), settings, info));
        if (!receipt) return receipt.error();
        row.document_json = receipt_to_value(*receipt).to_json();
        rows.push_back(std::move(row));
    }
    return rows;
}

sdk::Result<std::vector<PrintJobRow>> PrintService::Impl::slip_jobs(const std::string& kind, const Value& payload,
                                                                    const std::string& terminal_id) {
    std::vector<PrintJobRow> rows;
    const std::string printer = settings.receipt_printer_for(terminal_id);
    if (printer.empty()) return rows;
    std::string reference = kind == "cash_movement" ? payload["movement_id"].as_string() : payload["session_id"].as_string();
    PrintJobRow row = new_row(kind, reference, printer, terminal_id);
    ReceiptInfo info{kind, row.job_id, printer, terminal_id, 1, 1, false, ctx.clock.now_utc_ms()};
    Value data = kind == "cash_movement" ? movement_data(payload, ctx.sales.currency, settings, info)
                                         : report_data(payload, settings, info);
    auto receipt = render(kind, data);
    if (!receipt) return receipt.error();
    row.document_json = receipt_to_value(*receipt).to_json();
    rows.push_back(std::move(row));
    return rows;
}

sdk::Status PrintService::Impl::queue_jobs(std::vector<PrintJobRow> rows) {
    if (rows.empty()) return {};
    if (auto st = queue.insert(rows); !st.ok()) return st;
    for (const auto& row : rows) publish("printing.job_queued", row);
    wake.notify_all();
    return {};
}

void PrintService::Impl::publish(const char* topic, const PrintJobRow& row) { ctx.events.publish(topic, job_value(row)); }

// ---------------------------------------------------------------------------
// The worker

void PrintService::Impl::handle(const sdk::Event& event) {
    const Value& p = event.payload;
    sdk::Result<std::vector<PrintJobRow>> rows = std::vector<PrintJobRow>{};
    std::string reference;
    const AutoPrint& a = settings.auto_print;
    if (event.topic == "order.paid") {
        reference = p["order_id"].as_string();
        const std::string kind = order_receipt_kind(p);
        std::vector<PrintJobRow> all;
        if (kind == "sale" ? a.sale : a.refund) {
            rows = order_jobs(p, kind, "", "", false);
            if (rows) all = std::move(*rows);
        }
        if (rows && kind == "sale" && a.kitchen && p["submitted_utc_ms"].is_null()) {
            rows = kitchen_jobs(p, "", false);
            if (rows) all.insert(all.end(), rows->begin(), rows->end());
        }
        if (rows) rows = std::move(all);
    } else if (event.topic == "order.submitted") {
        reference = p["order_id"].as_string();
        if (a.kitchen) rows = kitchen_jobs(p, "", false);
    } else if (event.topic == "report.z_created") {
        reference = p["session_id"].as_string();
        Value report = p["report"];
        if (report["z_number"].is_null()) report.set("z_number", p["z_number"]);
        if (report["register_id"].is_null()) report.set("register_id", p["register_id"]);
        if (a.z_report) rows = slip_jobs("z_report", report, p["register_id"].as_string());
    } else if (event.topic == "report.x_created") {
        reference = p["session_id"].as_string();
        if (a.x_report) rows = slip_jobs("x_report", p, p["register_id"].as_string());
    } else if (event.topic == "register.cash_moved") {
        reference = p["movement_id"].as_string();
        if (a.cash_movement) rows = slip_jobs("cash_movement", p, p["register_id"].as_string());
    }
    sdk::Status st = rows ? queue_jobs(std::move(*rows)) : rows.status();
    if (!st.ok()) {
        ctx.logger->error("printing: " + event.topic + " " + reference + ": nothing printed: " + st.message());
        Value v = Value::map();
        v.set("topic", event.topic);
        v.set("reference", reference);
        v.set("error", st.message());
        ctx.events.publish("printing.render_failed", std::move(v));
    }
}

sdk::DeviceResult PrintService::Impl::ensure_enabled(sdk::Device& device) {
    using S = sdk::DeviceState;
    if (device.state() == S::closed)
        if (auto r = device.open(); !r.ok()) return r;
    if (device.state() == S::opened)
        if (auto r = device.claim(settings.print_timeout_ms); !r.ok()) return r;
    if (device.state() == S::claimed)
        if (auto r = device.enable(); !r.ok()) return r;
    return sdk::DeviceResult::success();
}

sdk::DeviceResult PrintService::Impl::print_to(const std::string& printer_id, const sdk::Receipt& receipt) {
    using sdk::DeviceErrorCode;
    try {
        auto device = ctx.registry.device(printer_id);
        if (!device) return sdk::DeviceResult::failure(DeviceErrorCode::offline, "no device \"" + printer_id + "\" is registered");
        if (auto r = ensure_enabled(*device); !r.ok()) return r;
        if (auto rp = std::dynamic_pointer_cast<sdk::ReceiptPrinter>(device))
            return rp->print_receipt(receipt, settings.print_timeout_ms);
        auto printer = std::dynamic_pointer_cast<sdk::Printer>(device);
        if (!printer) return sdk::DeviceResult::failure(DeviceErrorCode::illegal, "device \"" + printer_id + "\" is not a printer");
        sdk::PrintJob job;
        job.job_id = receipt.job_id;
        for (auto& line : sdk::render_plain_text(receipt, printer->columns())) job.lines.push_back(sdk::PrintLine{line});
        job.cut_after = has_block_of(receipt, 7);    // CutBlock
        job.open_drawer = has_block_of(receipt, 8);  // DrawerPulseBlock
        return printer->print(job, settings.print_timeout_ms);
    } catch (const std::exception& e) {
        return sdk::DeviceResult::failure(DeviceErrorCode::failure, std::string("printer threw: ") + e.what());
    } catch (...) {
        return sdk::DeviceResult::failure(DeviceErrorCode::failure, "printer threw");
    }
}

void PrintService::Impl::deliver(PrintJobRow job) {
    const std::int64_t now = ctx.clock.now_utc_ms();
    job.state = job_state::printing;
    job.attempts += 1;
    job.updated_utc_ms = now;
    if (auto st = queue.update(job); !st.ok()) {
        ctx.logger->error("printing: job " + job.job_id + ": " + st.message());
        return;
    }
    sdk::DeviceResult result;
    auto doc = Value::parse_json(job.document_json);
    auto receipt = doc ? receipt_from_value(*doc) : sdk::Result<sdk::Receipt>(doc.error());
    if (!receipt) {
        result = sdk::DeviceResult::failure(sdk::DeviceErrorCode::illegal, "stored document: " + receipt.error().message);
    } else {
        result = print_to(job.printer_id, *receipt);
    }
    const std::int64_t after = ctx.clock.now_utc_ms();
    job.updated_utc_ms = after;
    if (result.ok()) {
        job.state = job_state::printed;
        job.printed_utc_ms = after;
        job.last_error.clear();
        {
            std::lock_guard lock(mutex);
            down.erase(job.printer_id);
        }
        if (auto st = queue.update(job); !st.ok()) ctx.logger->error("printing: job " + job.job_id + ": " + st.message());
        publish("printing.job_printed", job);
        return;
    }
    job.last_error = result.message.empty() ? "print failed" : result.message;
    bool printer_down = job.attempts >= settings.max_attempts;
    {
        std::lock_guard lock(mutex);
        if (down.count(job.printer_id)) printer_down = true;
        if (printer_down) down.insert(job.printer_id);
    }
    const char* topic = "printing.job_failed";
    if (!printer_down) {
        std::int64_t wait = settings.retry_initial_ms;
        for (std::int64_t i = 1; i < job.attempts && wait < settings.retry_max_ms; ++i) wait *= 2;
        job.state = job_state::queued;
        job.next_attempt_utc_ms = after + std::min(wait, settings.retry_max_ms);
    } else {
        const std::string backup = settings.backup_for(job.original_printer_id);
        if (!backup.empty() && job.printer_id != backup) {
            ctx.logger->warn("printing: printer " + job.printer_id + " is down (" + job.last_error + "); job " +
                             job.job_id + " goes to " + backup);
            job.printer_id = backup;
            job.attempts = 0;
            job.state = job_state::queued;
            job.next_attempt_utc_ms = after;
            topic = "printing.job_rerouted";
        } else {
            ctx.logger->warn("printing: job " + job.job_id + " on " + job.printer_id + " is held: " + job.last_error);
            job.state = job_state::held;
            topic = "printing.job_held";
        }
    }
    if (auto st = queue.update(job); !st.ok()) ctx.logger->error("printing: job " + job.job_id + ": " + st.message());
    publish(topic, job);
}

void PrintService::Impl::run() {
    std::int64_t last_purge_ms = 0;
    for (;;) {
        std::deque<sdk::Event> events;
        {
            std::lock_guard lock(mutex);
            if (stopping) return;
            events.swap(intake);
        }
        for (const auto& e : events) handle(e);
        const std::int64_t now = ctx.clock.now_utc_ms();
        if (now - last_purge_ms > kDayMs / 24) {
            last_purge_ms = now;
            if (auto purged = queue.purge(now - settings.keep_printed_days * kDayMs); !purged)
                ctx.logger->warn("printing: purge: " + purged.error().message);
        }
        bool delivered = false;
        auto heads = queue.heads();
        if (!heads) ctx.logger->error("printing: " + heads.error().message);
        else
            for (auto& job : *heads) {
                {
                    std::lock_guard lock(mutex);
                    if (stopping) return;
                }
                if (job.next_attempt_utc_ms > ctx.clock.now_utc_ms()) continue;
                deliver(std::move(job));
                delivered = true;
            }
        std::unique_lock lock(mutex);
        ++loops;
        idle = !delivered && intake.empty();
        if (!delivered && intake.empty() && !stopping) wake.wait_for(lock, kPoll);
    }
}

// ---------------------------------------------------------------------------
// PrintService

PrintService::PrintService(DomainContext& ctx, Authorizer& authorizer, OrderService& orders, PrintingSettings settings)
    : impl_(std::make_unique<Impl>(ctx, authorizer, orders, std::move(settings))) {}

PrintService::~PrintService() { stop(); }

void PrintService::use_payments(OrderPaymentsSource& payments) { impl_->payments = &payments; }

void PrintService::use_department_codes(std::function<std::string(const std::string&)> code_of) {
    impl_->code_of = std::move(code_of);
}

void PrintService::use_x_reports(std::function<sdk::Result<Value>(const std::string& register_id)> x_report_of) {
    impl_->x_report_of = std::move(x_report_of);
}

sdk::Status PrintService::print_x_report(const std::string& register_id) {
    if (!impl_->x_report_of)
        return sdk::Status::failure("not_implemented", "X report slips need the registers module (not wired)");
    auto report = impl_->x_report_of(register_id);
    if (!report) return report.status();
    return print_report("x_report", *report, register_id);
}

sdk::Status PrintService::start() {
    Impl& m = *impl_;
    if (auto st = storage::apply_migrations(m.ctx.storage, printing_module, printing_migrations()); !st.ok()) return st;
    auto requeued = m.queue.requeue_interrupted(m.ctx.clock.now_utc_ms());
    if (!requeued) return requeued.error();
    if (*requeued > 0)
        m.ctx.logger->warn("printing: " + std::to_string(*requeued) +
                           " job(s) were printing when the node stopped; they print again (maybe a duplicate)");
    const std::string dir = m.settings.receipts_dir();
    if (!m.settings.enabled) {
        m.templates_error = "printing is disabled (printing.enabled: false)";
    } else if (dir.empty()) {
        m.templates_error = "printing.templates_dir is not set";
    } else {
        auto load = TemplateSet::load(dir);
        if (load.set) {
            std::lock_guard lock(m.mutex);
            m.templates = load.set;
        } else {
            std::string all;
            for (const auto& e : load.errors) {
                m.ctx.logger->error("printing: template: " + e.to_string());
                all += (all.empty() ? "" : "\n") + e.to_string();
            }
            m.templates_error = "the templates in " + dir + " have " + std::to_string(load.errors.size()) +
                                " problem(s); first: " + load.errors.front().to_string();
            Value v = Value::map();
            v.set("dir", dir);
            v.set("errors", all);
            m.ctx.events.publish("printing.templates_invalid", std::move(v));
        }
    }
    if (!m.settings.enabled) return {};
    for (const char* topic :
         {"order.paid", "order.submitted", "report.z_created", "report.x_created", "register.cash_moved"}) {
        const std::string exact = topic;
        auto id = m.ctx.events.subscribe(exact, [&m, exact](const sdk::Event& e) {
            if (e.topic != exact) return;  // "order.paid" also matches "order.paid.x"
            std::lock_guard lock(m.mutex);
            m.intake.push_back(e);
            m.idle = false;
            m.wake.notify_all();
        });
        std::lock_guard lock(m.mutex);
        m.subscriptions.push_back(id);
    }
    return {};
}

sdk::Status PrintService::start_worker() {
    Impl& m = *impl_;
    std::set<std::string> printers;
    if (!m.settings.receipt_printer.empty()) printers.insert(m.settings.receipt_printer);
    for (const auto* map : {&m.settings.terminal_printers, &m.settings.kitchen_printers, &m.settings.backup_printers})
        for (const auto& [k, v] : *map) printers.insert(v);
    if (!m.settings.kitchen_default_printer.empty()) printers.insert(m.settings.kitchen_default_printer);
    for (const auto& id : printers) {
        auto device = m.ctx.registry.device(id);
        if (!device) {
            m.ctx.logger->warn("printing: printer \"" + id + "\" is configured but no plugin registered it");
            continue;
        }
        if (auto r = m.ensure_enabled(*device); !r.ok())
            m.ctx.logger->warn("printing: printer \"" + id + "\" is not ready: " + r.message);
    }
    std::lock_guard lock(m.mutex);
    if (m.worker.joinable() || m.stopping) return {};
    m.worker = std::thread([&m] { m.run(); });
    return {};
}

void PrintService::stop() {
    Impl& m = *impl_;
    std::vector<sdk::SubscriptionId> subs;
    {
        std::lock_guard lock(m.mutex);
        subs.swap(m.subscriptions);
    }
    for (auto id : subs) m.ctx.events.unsubscribe(id);
    {
        std::lock_guard lock(m.mutex);
        m.stopping = true;
    }
    m.wake.notify_all();
    if (m.worker.joinable()) m.worker.join();
    // Events the worker had not rendered yet (it was printing, or never
    // started): queue their jobs now, so the receipts print after the restart
    // instead of being lost with the in-memory event. No printer I/O here.
    std::deque<sdk::Event> left;
    {
        std::lock_guard lock(m.mutex);
        left.swap(m.intake);
    }
    for (const auto& e : left) m.handle(e);
}

std::shared_ptr<const TemplateSet> PrintService::templates() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->templates;
}

void PrintService::poke() { impl_->wake.notify_all(); }

bool PrintService::wait_idle(std::int64_t timeout_ms) {
    Impl& m = *impl_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::uint64_t start = 0;
    {
        std::lock_guard lock(m.mutex);
        start = m.loops;
    }
    while (std::chrono::steady_clock::now() < deadline) {
        m.wake.notify_all();
        {
            std::lock_guard lock(m.mutex);
            // Two full loops after the call: what was queued before it is handled.
            if (m.loops >= start + 2 && m.idle && m.intake.empty()) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

sdk::Result<Value> PrintService::reprint(const std::string& order_id, const std::string& kind,
                                         const std::string& printer_id, const std::string& terminal_id) {
    Impl& m = *impl_;
    if (!m.settings.enabled) return unavailable("printing is disabled (printing.enabled: false)");
    if (kind != "" && kind != "sale" && kind != "refund" && kind != "exchange" && kind != "kitchen")
        return sdk::Error{"invalid_argument", "$.kind: must be one of sale, refund, exchange, kitchen"};
    if (!printer_id.empty() && !std::dynamic_pointer_cast<sdk::Printer>(m.ctx.registry.device(printer_id))) {
        // A reprint someone aims at a printer that does not exist is their
        // typo: refuse it now instead of holding a job nobody can print.
        std::string known;
        for (const auto& id : m.ctx.registry.device_ids())
            if (std::dynamic_pointer_cast<sdk::Printer>(m.ctx.registry.device(id)))
                known += (known.empty() ? "" : ", ") + id;
        return sdk::Error{"invalid_argument", "$.printer_id: no printer \"" + printer_id + "\" on this node (printers: " +
                                                  (known.empty() ? std::string("none") : known) + ")"};
    }
    auto order = m.orders.get(order_id);
    if (!order) return order.error();
    Value o = orders::order_to_json(*order);
    sdk::Result<std::vector<PrintJobRow>> rows =
        kind == "kitchen" ? m.kitchen_jobs(o, printer_id, true)
                          : m.order_jobs(o, kind.empty() ? order_receipt_kind(o) : kind, printer_id, terminal_id, true);
    if (!rows) return rows.error();
    if (rows->empty()) return unavailable("no printer is configured for this receipt");
    Value items = Value::list();
    for (const auto& r : *rows) items.push_back(job_value(r));
    if (auto st = m.queue_jobs(std::move(*rows)); !st.ok()) return st.error();
    Value out = Value::map();
    out.set("items", std::move(items));
    return out;
}

sdk::Result<std::string> PrintService::receipt_text(const std::string& order_id, const std::string& kind, int columns) {
    Impl& m = *impl_;
    auto order = m.orders.get(order_id);
    if (!order) return order.error();
    Value o = orders::order_to_json(*order);
    const std::string k = kind.empty() ? order_receipt_kind(o) : kind;
    if (k != "sale" && k != "refund" && k != "exchange")
        return sdk::Error{"invalid_argument", "kind: must be one of sale, refund, exchange"};
    const std::string printer = m.settings.receipt_printer_for(o["terminal_id"].as_string());
    if (columns <= 0) {
        columns = 42;
        if (auto device = std::dynamic_pointer_cast<sdk::Printer>(m.ctx.registry.device(printer)))
            columns = device->columns();
    }
    auto payments_list = m.payments_of(order_id);
    if (!payments_list) return payments_list.error();
    ReceiptInfo info{k, "", printer, o["terminal_id"].as_string(), 1, 1, false, m.ctx.clock.now_utc_ms()};
    auto receipt = m.render(k, order_data(o, *payments_list, m.settings, info));
    if (!receipt) return receipt.error();
    return sdk::plain_text(*receipt, columns);
}

sdk::Result<Value> PrintService::list_jobs(const std::string& state, std::int64_t limit) {
    if (!state.empty() && state != job_state::queued && state != job_state::printing && state != job_state::printed &&
        state != job_state::held && state != job_state::cancelled)
        return sdk::Error{"invalid_argument", "state: must be one of queued, printing, printed, held, cancelled"};
    auto rows = impl_->queue.list(state, limit);
    if (!rows) return rows.error();
    Value items = Value::list();
    for (const auto& r : *rows) items.push_back(job_value(r));
    Value out = Value::map();
    out.set("items", std::move(items));
    return out;
}

sdk::Result<Value> PrintService::retry(const std::string& job_id) {
    Impl& m = *impl_;
    auto row = m.queue.get(job_id);
    if (!row) return row.error();
    if (!*row) return sdk::Error{"not_found", "no print job " + job_id};
    PrintJobRow job = **row;
    if (job.state != job_state::held && job.state != job_state::queued)
        return sdk::Error{"invalid_state", "print job " + job_id + " is " + job.state + "; only held or queued jobs are retried"};
    {
        std::lock_guard lock(m.mutex);
        m.down.erase(job.original_printer_id);
    }
    job.printer_id = job.original_printer_id;
    job.state = job_state::queued;
    job.attempts = 0;
    job.next_attempt_utc_ms = job.updated_utc_ms = m.ctx.clock.now_utc_ms();
    if (auto st = m.queue.update(job); !st.ok()) return st.error();
    m.publish("printing.job_queued", job);
    m.wake.notify_all();
    return job_value(job);
}

sdk::Result<Value> PrintService::cancel(const std::string& job_id) {
    Impl& m = *impl_;
    auto row = m.queue.get(job_id);
    if (!row) return row.error();
    if (!*row) return sdk::Error{"not_found", "no print job " + job_id};
    PrintJobRow job = **row;
    if (job.state != job_state::held && job.state != job_state::queued)
        return sdk::Error{"invalid_state", "print job " + job_id + " is " + job.state + "; only held or queued jobs are cancelled"};
    job.state = job_state::cancelled;
    job.updated_utc_ms = m.ctx.clock.now_utc_ms();
    if (auto st = m.queue.update(job); !st.ok()) return st.error();
    m.publish("printing.job_cancelled", job);
    return job_value(job);
}

sdk::Status PrintService::print_report(const std::string& kind, const Value& report, const std::string& terminal_id) {
    if (kind != "x_report" && kind != "z_report" && kind != "cash_movement")
        return sdk::Status::failure("invalid_argument", "kind: must be x_report, z_report or cash_movement");
    auto rows = impl_->slip_jobs(kind, report, terminal_id);
    if (!rows) return rows.status();
    return impl_->queue_jobs(std::move(*rows));
}

}  // namespace till::domain::printing
