// Internal to domain/printing: the state of PrintService, shared by
// print_service.cpp (jobs and the worker) and print_routes.cpp.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "domain/printing/print_queue.hpp"
#include "domain/printing/print_service.hpp"
#include "domain/printing/receipt_data.hpp"
#include "till/sdk/device.hpp"
#include "till/sdk/receipt.hpp"

namespace till::domain::printing {

struct PrintService::Impl {
    Impl(DomainContext& c, Authorizer& a, OrderService& o, PrintingSettings s)
        : ctx(c), authorizer(a), orders(o), settings(std::move(s)), queue(c.storage) {}

    DomainContext& ctx;
    Authorizer& authorizer;
    OrderService& orders;
    const PrintingSettings settings;
    PrintQueue queue;
    OrderPaymentsSource* payments = nullptr;
    std::function<std::string(const std::string&)> code_of;
    std::function<sdk::Result<sdk::Value>(const std::string&)> x_report_of;  ///< register id → X report

    mutable std::mutex mutex;  // guards everything below
    std::condition_variable wake;
    std::shared_ptr<const TemplateSet> templates;
    std::string templates_error;  ///< why there are none
    std::deque<sdk::Event> intake;
    std::set<std::string> down;  ///< printers that failed max_attempts times in a row
    std::vector<sdk::SubscriptionId> subscriptions;
    bool stopping = false;
    bool idle = false;
    std::uint64_t loops = 0;
    std::thread worker;

    // Jobs: rendered documents ready to insert.
    sdk::Result<std::vector<PrintJobRow>> order_jobs(const sdk::Value& order, const std::string& kind,
                                                     const std::string& printer_id, const std::string& terminal_id,
                                                     bool reprint);
    sdk::Result<std::vector<PrintJobRow>> kitchen_jobs(const sdk::Value& order, const std::string& printer_id,
                                                       bool reprint);
    sdk::Result<std::vector<PrintJobRow>> slip_jobs(const std::string& kind, const sdk::Value& payload,
                                                    const std::string& terminal_id);
    sdk::Result<sdk::Receipt> render(const std::string& kind, const sdk::Value& data) const;
    sdk::Result<sdk::Value> payments_of(const std::string& order_id);
    PrintJobRow new_row(const std::string& kind, const std::string& reference, const std::string& printer_id,
                        const std::string& terminal_id);
    sdk::Status queue_jobs(std::vector<PrintJobRow> rows);

    // The worker.
    void run();
    void handle(const sdk::Event& event);
    void deliver(PrintJobRow job);
    sdk::DeviceResult print_to(const std::string& printer_id, const sdk::Receipt& receipt);
    sdk::DeviceResult ensure_enabled(sdk::Device& device);
    void publish(const char* topic, const PrintJobRow& row);
};

}  // namespace till::domain::printing
