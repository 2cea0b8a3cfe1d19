// The print queue end to end: real SQLite, the real orders modules, the real
// printer_escpos plugin (.so) with its file transport, and a TCP printer on a
// closed port for a printer that is down → backup, or held → retry/cancel.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "domain/printing/print_queue.hpp"
#include "domain/printing/print_service.hpp"
#include "log/log_manager.hpp"
#include "orders_world.hpp"
#include "plugin_host/discovery.hpp"
#include "plugin_host/plugin_host.hpp"
#include "storage/migrations.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::printing;
namespace fs = std::filesystem;

namespace {

/// printer_escpos loaded through a real PluginHost; its devices put in the
/// fixture's registry (which the print service looks them up in).
class PrinterPlugin {
public:
    PrinterPlugin(test::DomainFixture& f, const std::vector<std::string>& printers) : f_(f) {
        log::LogSettings settings;
        settings.level = sdk::LogLevel::warn;
        settings.file = dir_.file("plugins.log");
        logs_ = std::move(log::LogManager::create(settings).value());
        REQUIRE(storage::apply_migrations(f.db(), "kernel", storage::kernel_migrations()).ok());
        sdk::NodeInfo node{"store-test", sdk::NodeRole::store, f.data_dir(), "test"};
        host_ = std::make_unique<plugin_host::PluginHost>(
            plugin_host::HostServices{node, *logs_, f.clock(), f.db(), f.bus(), router_});
        host_->adopt(plugin_host::discover_plugins({TILL_PLUGIN_BUILD_DIR}));
        plugin_host::PluginSelection selection;
        selection.enabled_given = true;
        selection.enabled = {"printer_escpos"};
        selection.required = {"printer_escpos"};
        sdk::Value::List list;
        for (const auto& p : printers) list.emplace_back(p);
        sdk::Value config = sdk::Value::map();
        config.set("printers", sdk::Value(std::move(list)));
        auto started = host_->start({{"printer_escpos", config}}, selection);
        INFO(started.message());
        REQUIRE(started.ok());
        plugin_host::StagedCapabilities staged;
        for (const auto& id : host_->registry().device_ids()) staged.devices[id] = host_->registry().device(id);
        REQUIRE(f.registry().check_free(staged).ok());
        f.registry().add("printer_escpos", staged);
    }
    ~PrinterPlugin() {
        f_.registry().remove_owner("printer_escpos");
        host_->stop();
    }

private:
    test::DomainFixture& f_;
    test::TempDir dir_{"till-printer-plugin"};
    std::unique_ptr<log::LogManager> logs_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
};

PrintingSettings base_settings() {
    PrintingSettings s;
    s.templates_dir = TILL_SCRIPTS_DIR;
    s.deployment = "cafe";
    s.locale = *locale_format("en-GB");
    s.store_name = "Corner Cafe";
    s.receipt_printer = "receipt-1";
    s.max_attempts = 2;
    s.retry_initial_ms = 0;
    s.retry_max_ms = 0;
    s.print_timeout_ms = 2000;
    return s;
}

bool wait_for(const std::function<bool()>& done) {
    for (int i = 0; i < 1000; ++i) {  // at most ~10 s
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

std::vector<std::string> files_with(const std::string& folder, const std::string& ext) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.path().extension() == ext) out.push_back(e.path().string());
    return out;
}

sdk::Value movement(const std::string& id) {
    sdk::Value m = sdk::Value::map();
    m.set("movement_id", id);
    m.set("register_id", "T9");
    m.set("direction", "in");
    m.set("amount_minor", 2500);
    m.set("reason_code", "float_top_up");
    m.set("note", "");
    m.set("created_utc_ms", 1768490000000);
    return m;
}

std::int64_t count_topic(test::DomainFixture& f, const std::string& topic) {
    std::int64_t n = 0;
    for (const auto& t : f.topics()) n += t == topic;
    return n;
}

}  // namespace

TEST_CASE("a paid order prints its receipt and kitchen ticket on the file printer", "[queue]") {
    test::DomainFixture f;
    test::SalesWorld w{f};
    w.seed_catalog();
    test::TempDir out("till-receipts-out");
    PrinterPlugin printers(f, {"receipt-1=file:" + out.path() + "?columns=42"});
    PrintingSettings s = base_settings();
    s.kitchen_default_printer = "receipt-1";
    PrintService service(f.ctx(), w.people, w.orders, s);
    service.use_payments(w.payments);
    REQUIRE(service.start().ok());
    REQUIRE(service.templates());
    REQUIRE(service.start_worker().ok());

    w.open_register("T1");
    auto by = w.as("alice", "T1");
    auto order = w.orders.open_order(by, {"retail", "", sdk::Value::map()});
    REQUIRE(order);
    AddLineRequest line;
    line.sku = "SHIRT";
    auto added = w.orders.add_line(order->order_id, order->version, line, by, w.permit_for(by));
    REQUIRE(added);
    REQUIRE(w.settle(order->order_id).ok());  // publishes order.paid: the sale does not wait for the printer

    REQUIRE(wait_for([&] { return files_with(out.path(), ".bin").size() == 2; }));
    REQUIRE(service.wait_idle(5000));
    auto printed = service.list_jobs("printed", 10);
    REQUIRE(printed);
    REQUIRE(printed->find("items")->size() == 2);
    CHECK(count_topic(f, "printing.job_printed") == 2);
    bool saw_total = false;
    for (const auto& txt : files_with(out.path(), ".txt")) saw_total = saw_total || test::read_file(txt).find("TOTAL") != std::string::npos;
    CHECK(saw_total);

    auto text = service.receipt_text(order->order_id, "", 0);
    REQUIRE(text);
    CHECK(text->find("TOTAL") != std::string::npos);
    CHECK(text->find("Corner Cafe") != std::string::npos);

    auto again = service.reprint(order->order_id, "", "", "T1");
    REQUIRE(again);
    REQUIRE(wait_for([&] { return files_with(out.path(), ".bin").size() == 3; }));
    CHECK(service.reprint(order->order_id, "receipt", "", "").error().code == "invalid_argument");
    CHECK(service.reprint("nope", "", "", "").error().code == "not_found");
    // A reprint aimed at a printer this node does not have is refused, naming the ones it has.
    auto typo = service.reprint(order->order_id, "", "recipt-1", "T1");
    REQUIRE_FALSE(typo);
    CHECK(typo.error().code == "invalid_argument");
    CHECK_THAT(typo.error().message, Catch::Contains("$.printer_id") && Catch::Contains("receipt-1"));
    auto named = service.reprint(order->order_id, "", "receipt-1", "T1");
    REQUIRE(named);
    REQUIRE(wait_for([&] { return files_with(out.path(), ".bin").size() == 4; }));
    service.stop();
}

TEST_CASE("a printer that is down: jobs go to the backup, else are held until retried", "[queue]") {
    test::DomainFixture f;
    test::SalesWorld w{f};
    test::TempDir out("till-receipts-out");
    const int closed_port = test::free_loopback_port();
    PrinterPlugin printers(f, {"receipt-1=file:" + out.path(),
                               "kitchen-1=tcp://127.0.0.1:" + std::to_string(closed_port) + "?connect_timeout_ms=200"});
    PrintingSettings s = base_settings();
    s.terminal_printers["T9"] = "kitchen-1";

    SECTION("with a backup") {
        s.backup_printers["kitchen-1"] = "receipt-1";
        PrintService service(f.ctx(), w.people, w.orders, s);
        REQUIRE(service.start().ok());
        REQUIRE(service.start_worker().ok());
        REQUIRE(service.print_report("cash_movement", movement("m1"), "T9").ok());
        REQUIRE(wait_for([&] { return count_topic(f, "printing.job_printed") == 1; }));
        CHECK(count_topic(f, "printing.job_failed") == 1);
        CHECK(count_topic(f, "printing.job_rerouted") == 1);
        auto ev = f.last_event("printing.job_printed");
        CHECK(ev.payload["printer_id"].as_string() == "receipt-1");
        CHECK(ev.payload["original_printer_id"].as_string() == "kitchen-1");
        CHECK(files_with(out.path(), ".bin").size() == 1);

        // The printer counts as down now: the next job goes to the backup at its first failure.
        REQUIRE(service.print_report("cash_movement", movement("m2"), "T9").ok());
        REQUIRE(wait_for([&] { return count_topic(f, "printing.job_printed") == 2; }));
        CHECK(count_topic(f, "printing.job_rerouted") == 2);
        CHECK(count_topic(f, "printing.job_failed") == 1);
        service.stop();
    }

    SECTION("without a backup: held, shown on the event stream, retried, cancelled") {
        PrintService service(f.ctx(), w.people, w.orders, s);
        REQUIRE(service.start().ok());
        REQUIRE(service.start_worker().ok());
        REQUIRE(service.print_report("cash_movement", movement("m1"), "T9").ok());
        REQUIRE(wait_for([&] { return count_topic(f, "printing.job_held") == 1; }));
        auto held = service.list_jobs("held", 10);
        REQUIRE(held);
        REQUIRE(held->find("items")->size() == 1);
        const sdk::Value job = held->find("items")->as_list()[0];
        CHECK(job["attempts"].as_int() == 2);
        CHECK(job["last_error"].as_string() != "");
        const std::string job_id = job["job_id"].as_string();

        auto retried = service.retry(job_id);
        REQUIRE(retried);
        REQUIRE(wait_for([&] { return count_topic(f, "printing.job_held") == 2; }));
        auto cancelled = service.cancel(job_id);
        REQUIRE(cancelled);
        CHECK((*cancelled)["state"].as_string() == "cancelled");
        CHECK(service.cancel(job_id).error().code == "invalid_state");
        CHECK(service.retry("nope").error().code == "not_found");
        CHECK(files_with(out.path(), ".bin").empty());
        service.stop();
    }
}

TEST_CASE("a job cut short by a restart is printed again", "[queue]") {
    test::DomainFixture f;
    test::SalesWorld w{f};
    test::TempDir out("till-receipts-out");
    PrinterPlugin printers(f, {"receipt-1=file:" + out.path()});
    PrintingSettings s = base_settings();
    std::string job_id;
    {
        PrintService first(f.ctx(), w.people, w.orders, s);
        REQUIRE(first.start().ok());  // no worker: the job stays queued
        REQUIRE(first.print_report("cash_movement", movement("m1"), "T1").ok());
        auto jobs = first.list_jobs("queued", 10);
        REQUIRE(jobs);
        REQUIRE(jobs->find("items")->size() == 1);
        job_id = jobs->find("items")->as_list()[0]["job_id"].as_string();
        first.stop();
    }
    // As if the node died mid-print.
    REQUIRE(f.db().execute("UPDATE print_jobs SET state = 'printing' WHERE job_id = ?", {job_id}));
    PrintService second(f.ctx(), w.people, w.orders, s);
    REQUIRE(second.start().ok());
    REQUIRE(second.start_worker().ok());
    REQUIRE(wait_for([&] { return files_with(out.path(), ".bin").size() == 1; }));
    REQUIRE(wait_for([&] { return count_topic(f, "printing.job_printed") == 1; }));
    second.stop();
}

TEST_CASE("a sale paid just before the node stops keeps its receipt in the queue", "[queue]") {
    // The worker has not rendered the order.paid event yet (here: it never
    // started; at a real shutdown: it was busy with a slow printer) when stop()
    // comes: the receipt must be queued durably, not dropped with the event.
    test::DomainFixture f;
    test::SalesWorld w{f};
    w.seed_catalog();
    PrintingSettings s = base_settings();
    PrintService service(f.ctx(), w.people, w.orders, s);
    service.use_payments(w.payments);
    REQUIRE(service.start().ok());
    REQUIRE(service.templates());

    w.open_register("T1");
    auto by = w.as("alice", "T1");
    auto order = w.orders.open_order(by, {"retail", "", sdk::Value::map()});
    REQUIRE(order);
    AddLineRequest line;
    line.sku = "SHIRT";
    auto added = w.orders.add_line(order->order_id, order->version, line, by, w.permit_for(by));
    REQUIRE(added);
    REQUIRE(w.settle(order->order_id).ok());
    service.stop();

    auto jobs = service.list_jobs("queued", 10);
    REQUIRE(jobs);
    REQUIRE(jobs->find("items")->size() == 1);
    const sdk::Value& job = jobs->find("items")->as_list().front();
    CHECK(job["reference"].as_string() == order->order_id);
    CHECK(job["kind"].as_string() == "sale");
}

TEST_CASE("an X report slip prints on request, a register without a session is refused", "[queue]") {
    test::DomainFixture f;
    test::SalesWorld w{f};
    w.seed_catalog();
    test::TempDir out("till-x-out");
    PrinterPlugin printers(f, {"receipt-1=file:" + out.path() + "?columns=42"});
    PrintService service(f.ctx(), w.people, w.orders, base_settings());
    service.use_payments(w.payments);
    CHECK(service.print_x_report("T1").error().code == "not_implemented");
    service.use_x_reports([&w](const std::string& register_id) { return w.registers.x_report(register_id); });
    REQUIRE(service.start().ok());
    REQUIRE(service.start_worker().ok());

    CHECK_FALSE(service.print_x_report("T1").ok());  // no open session: nothing to report
    CHECK(files_with(out.path(), ".bin").empty());

    w.open_register("T1");
    REQUIRE(service.print_x_report("T1").ok());
    REQUIRE(wait_for([&] { return files_with(out.path(), ".txt").size() == 1; }));
    const std::string slip = test::read_file(files_with(out.path(), ".txt")[0]);
    INFO(slip);
    CHECK(slip.find("X") != std::string::npos);
    CHECK(slip.find("T1") != std::string::npos);
    service.stop();
}
