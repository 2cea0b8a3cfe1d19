#include "notify_listener.hpp"

#include <chrono>
#include <random>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/Timespan.h>

#include "reconnect_backoff.hpp"
#include "wire_json.hpp"

namespace till::sync_http {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollSlice = std::chrono::milliseconds(250);
constexpr auto kPingAfterSilence = std::chrono::seconds(30);
constexpr auto kDeadAfterSilence = std::chrono::seconds(75);
constexpr int kFrameBufferBytes = 64 * 1024;
constexpr int kFin = static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN);

}  // namespace

NotifyListener::NotifyListener(HqEndpoint endpoint, TokenSource token, NotifyOptions options, sdk::Logger& logger)
    : endpoint_(std::move(endpoint)), token_(std::move(token)), options_(options), logger_(logger) {}

NotifyListener::~NotifyListener() { stop(); }

void NotifyListener::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void NotifyListener::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void NotifyListener::set_handler(Handler handler) {
    {
        std::lock_guard lock(mutex_);
        handler_ = std::move(handler);
        redeliver_ = static_cast<bool>(handler_);
    }
    // Wait for a delivery in flight with the old handler (its owner may go
    // away as soon as this returns), unless called from inside that handler.
    if (thread_id_.load() != std::this_thread::get_id()) std::lock_guard wait_for_delivery(deliver_mutex_);
}

bool NotifyListener::wait_stop_for(std::int64_t ms) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void NotifyListener::deliver(std::int64_t revision) {
    // Taken before the handler is read: set_handler() waits on it.
    std::lock_guard delivering(deliver_mutex_);
    Handler handler;
    {
        std::lock_guard lock(mutex_);
        handler = handler_;
        redeliver_ = false;
    }
    if (handler) handler(revision);
}

void NotifyListener::run() {
    thread_id_ = std::this_thread::get_id();
    std::mt19937_64 random{std::random_device{}()};
    std::int64_t failures = 0;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;
        }
        const auto made_before = connections_made_.load();
        try {
            session_once();
        } catch (const Poco::Exception& e) {
            logger_.debug("notify WebSocket to " + endpoint_.describe() + ": " + e.displayText());
        } catch (const std::exception& e) {
            logger_.debug(std::string("notify WebSocket: ") + e.what());
        }
        connected_ = false;
        // A connection that was made resets the backoff: only failures in a row grow it.
        failures = connections_made_.load() != made_before ? 1 : failures + 1;
        const auto delay = reconnect_delay_ms(failures, options_.reconnect_initial_ms, options_.reconnect_max_ms, random());
        if (wait_stop_for(delay)) break;
    }
    connected_ = false;
}

void NotifyListener::session_once() {
    auto token = token_.current();
    if (!token) {
        logger_.warn("notify WebSocket not opened: " + token.error().message);
        return;
    }
    auto session = endpoint_.open_session(options_.connect_timeout_ms);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, endpoint_.path("/sync/v1/notify"),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + *token);
    Poco::Net::HTTPResponse response;
    Poco::Net::WebSocket ws(*session, request, response);
    ws.setReceiveTimeout(Poco::Timespan(10, 0));
    ws.setSendTimeout(Poco::Timespan(10, 0));
    connected_ = true;
    ++connections_made_;
    logger_.info("notify WebSocket connected to " + endpoint_.describe());

    std::vector<char> buffer(kFrameBufferBytes);
    auto last_heard = Clock::now();
    bool ping_sent = false;
    for (;;) {
        bool redeliver = false;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;
            redeliver = redeliver_;
        }
        if (redeliver && last_revision_ > 0) deliver(last_revision_);

        const bool readable =
            ws.available() > 0 ||
            ws.poll(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(kPollSlice).count()),
                    Poco::Net::Socket::SELECT_READ);
        if (!readable) {
            const auto silence = Clock::now() - last_heard;
            if (silence > kDeadAfterSilence) {
                logger_.warn("notify WebSocket: HQ silent for 75 s; reconnecting");
                break;
            }
            if (silence > kPingAfterSilence && !ping_sent) {
                ws.sendFrame("", 0, kFin | static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PING));
                ping_sent = true;
            }
            continue;
        }
        int flags = 0;
        const int n = ws.receiveFrame(buffer.data(), static_cast<int>(buffer.size()), flags);
        last_heard = Clock::now();
        ping_sent = false;
        const int op = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (n == 0 && flags == 0) break;  // peer closed the connection
        if (op == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
            try {
                ws.shutdown();
            } catch (const Poco::Exception&) {
            }
            break;
        }
        if (op == Poco::Net::WebSocket::FRAME_OP_PING) {
            ws.sendFrame(buffer.data(), n, kFin | static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PONG));
            continue;
        }
        if (op != Poco::Net::WebSocket::FRAME_OP_TEXT) continue;
        auto revision = parse_revision_notice(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        if (!revision) {
            logger_.warn("notify WebSocket: ignored a frame: " + revision.error().message);
            continue;
        }
        if (*revision > last_revision_) last_revision_ = *revision;
        deliver(*revision);
    }
    connected_ = false;
    logger_.info("notify WebSocket to " + endpoint_.describe() + " closed");
}

}  // namespace till::sync_http
