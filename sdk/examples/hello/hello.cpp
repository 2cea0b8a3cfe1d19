// hello: the smallest real Till plugin. Copy this folder to start your own.
//
// What it shows:
//  - reading the plugin's validated config (defaults come from plugin.yaml),
//  - adding an HTTP route and a capability (a report) in on_register,
//  - logging and publishing an event in on_start,
//  - reporting errors as Status values, never as exceptions.
#include <memory>
#include <string>
#include <utility>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

namespace {

using namespace till::sdk;

/// A one-row report, so `kinds: [report]` in plugin.yaml is true.
class HelloReport final : public Report {
public:
    explicit HelloReport(std::string greeting) : greeting_(std::move(greeting)) {}
    std::string id() const override { return "hello"; }
    std::string title() const override { return "Hello"; }
    std::vector<ReportParameter> parameters() const override { return {}; }
    Result<ReportTable> run(const Value&, Storage&) override {
        ReportTable table;
        table.columns.push_back({"greeting", "Greeting", Value::Type::string});
        table.rows.push_back({Value(greeting_)});
        return table;
    }

private:
    const std::string greeting_;
};

class Hello final : public Plugin {
public:
    // Register everything the plugin offers. No threads, no I/O here.
    Status on_register(Registrar& registrar) override {
        // Validated against plugin.yaml, with defaults filled in: always a string.
        greeting_ = registrar.config()["greeting"].as_string();

        // The handler runs on the server's worker threads: it only reads
        // `greeting`, a copy it owns.
        Status route = registrar.add_route(HttpMethod::get, "/api/v1/hello",
                                           [greeting = greeting_](const HttpRequest&) {
                                               Value body = Value::map();
                                               body.set("greeting", greeting);
                                               return HttpResponse::json(body);
                                           });
        if (!route.ok()) return route;
        return registrar.add_report(std::make_shared<HelloReport>(greeting_));
    }

    // Start work. `host` stays valid until on_stop() returns.
    Status on_start(Host& host) override {
        host.logger().info("hello started on node " + host.node().node_id + ", greeting \"" + greeting_ + "\"");
        Value payload = Value::map();
        payload.set("greeting", greeting_);
        host.events().publish("hello.started", std::move(payload));
        return {};
    }

    // Nothing to stop: no threads, no devices.
    void on_stop() noexcept override {}

private:
    std::string greeting_;
};

}  // namespace

// Id and version must equal plugin.yaml's `id` and `version`.
TILL_PLUGIN(Hello, "hello", "0.1.0")
