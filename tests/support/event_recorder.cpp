#include "support/event_recorder.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace till::test {

struct EventRecorder::Impl {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    std::unique_ptr<Poco::Net::WebSocket> ws;
    std::thread reader;
    std::atomic<bool> stop{false};
    mutable std::mutex mutex;
    std::vector<sdk::Value> events;

    void run() {
        std::vector<char> buffer(1 << 20);
        while (!stop) {
            int flags = 0;
            int n = 0;
            try {
                n = ws->receiveFrame(buffer.data(), static_cast<int>(buffer.size()), flags);
            } catch (const Poco::TimeoutException&) {
                continue;
            } catch (...) {
                return;
            }
            if (n <= 0) return;  // closed by the node
            auto parsed = sdk::Value::parse_json(std::string(buffer.data(), static_cast<std::size_t>(n)));
            if (!parsed || (*parsed)["type"].as_string() != "event") continue;
            std::lock_guard lock(mutex);
            events.push_back(std::move(*parsed));
        }
    }
};

EventRecorder::EventRecorder(int port, const std::string& token) : impl_(std::make_unique<Impl>()) {
    impl_->session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/events?access_token=" + token,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse response;
    impl_->ws = std::make_unique<Poco::Net::WebSocket>(*impl_->session, request, response);
    impl_->ws->setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
    impl_->reader = std::thread([this] { impl_->run(); });
}

EventRecorder::~EventRecorder() {
    impl_->stop = true;
    if (impl_->reader.joinable()) impl_->reader.join();
    try {
        impl_->ws->shutdown();
    } catch (...) {
    }
}

std::vector<sdk::Value> EventRecorder::events() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->events;
}

std::multiset<std::string> EventRecorder::topics() const {
    std::multiset<std::string> out;
    for (const auto& e : events()) out.insert(e["topic"].as_string());
    return out;
}

sdk::Value EventRecorder::find(const std::string& topic, const std::function<bool(const sdk::Value&)>& match) const {
    for (const auto& e : events())
        if (e["topic"].as_string() == topic && (!match || match(e["payload"]))) return e["payload"];
    return sdk::Value();
}

bool EventRecorder::wait_for(const std::string& topic, int timeout_ms) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
        if (topics().count(topic) > 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace till::test
