#include "api/ws_hub.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Net/WebSocket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "api/ws_frame.hpp"

namespace till::api {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kOutBytesHigh = 64 * 1024;  // refill from the queue below this
constexpr std::size_t kReadBytesPerRound = 128 * 1024;  // per socket and poll round
constexpr int kFramesPerRound = 256;                     // per socket and poll round
constexpr std::size_t kMaxFrameHeaderBytes = 14;         // 2 + 8 (length) + 4 (mask)
constexpr std::size_t kPackBytes = 16 * 1024;            // small output frames packed up to this
constexpr auto kOverflowCloseWait = std::chrono::milliseconds(5000);
constexpr auto kStopCloseWait = std::chrono::milliseconds(1000);
constexpr auto kPeerCloseWait = std::chrono::milliseconds(2000);

struct Connection {
    std::unique_ptr<Poco::Net::WebSocket> socket;
    int fd = -1;
    std::string peer;

    // Guarded by Impl::mutex (publishers touch these).
    std::vector<std::string> topics;
    std::uint64_t min_sequence = 0;  // events at or below were before the hello
    std::deque<std::shared_ptr<const std::string>> queue;  // encoded frames
    bool overflow = false;

    // Hub thread only.
    std::deque<std::string> out;  // frames to write; front may be partly written
    std::size_t out_offset = 0;
    std::size_t out_bytes = 0;
    std::string in;
    std::size_t in_offset = 0;  // bytes of `in` already handled (compacted lazily)
    std::string message;  // a fragmented message being assembled
    int message_opcode = -1;
    bool closing = false;       // our close frame is queued; nothing else is sent
    bool peer_closed = false;   // the peer's close frame arrived
    bool discard_input = false; // read and drop whatever else the peer sends
    bool write_shut = false;    // our close frame is out and we sent FIN
    bool in_ready = false;      // `in` may hold whole frames not handled yet
    bool dead = false;
    bool timed_out = false;     // the close handshake did not finish in time
    Clock::time_point close_deadline{};

    bool matches(const std::string& topic) const {
        for (const auto& t : topics)
            if (events::topic_matches(t, topic)) return true;
        return false;
    }
    std::size_t in_unhandled() const { return in.size() - in_offset; }
    // Small frames (pongs, error replies) are packed into one buffer so that
    // out_bytes stays close to the memory they take; a front buffer that is
    // partly written is never appended to.
    void push_out(std::string frame) {
        out_bytes += frame.size();
        if (!out.empty() && (out.size() > 1 || out_offset == 0) &&
            out.back().size() + frame.size() <= kPackBytes) {
            out.back() += frame;
            return;
        }
        out.push_back(std::move(frame));
    }
};

std::string text_frame(const sdk::Value& v) { return ws::encode_frame(ws::text, v.to_json()); }

sdk::Value error_message(std::string text) {
    sdk::Value v = sdk::Value::map();
    v.set("type", "error");
    v.set("message", std::move(text));
    return v;
}

}  // namespace

struct WebSocketHub::Impl {
    Impl(WebSocketHubSettings s, events::EventBusImpl& b, std::shared_ptr<sdk::Logger> l)
        : settings(s), bus(b), logger(std::move(l)) {}

    WebSocketHubSettings settings;
    events::EventBusImpl& bus;
    std::shared_ptr<sdk::Logger> logger;

    std::mutex mutex;
    std::vector<std::shared_ptr<Connection>> connections;  // guarded by mutex
    bool stop_requested = false;                          // guarded by mutex
    bool running = false;                                 // guarded by mutex
    std::atomic<int> slots{0};
    std::atomic<bool> stop_flag{false};  // stop_requested, readable without the mutex
    int wake_fd = -1;
    std::thread thread;
    sdk::SubscriptionId subscription = 0;
    std::mutex lifecycle_mutex;  // start()/stop()

    void wake() {
        if (wake_fd < 0) return;
        std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd, &one, sizeof one);
    }

    void warn(const std::string& m) {
        if (logger) logger->warn(m);
    }

    // Bus handler: runs on the publisher's thread. Only memory work under the
    // mutex; never touches a socket.
    void on_event(const sdk::Event& event) {
        std::shared_ptr<const std::string> frame;
        bool woke = false;
        std::lock_guard lock(mutex);
        for (auto& c : connections) {
            if (c->overflow || event.sequence <= c->min_sequence || !c->matches(event.topic))
                continue;
            if (c->queue.size() >= settings.max_queued_events) {
                c->overflow = true;
                c->queue.clear();
                woke = true;
                continue;
            }
            if (!frame) {
                sdk::Value v = sdk::Value::map();
                v.set("type", "event");
                v.set("topic", event.topic);
                v.set("sequence", static_cast<long long>(event.sequence));
                v.set("time_utc_ms", static_cast<long long>(event.time_utc_ms));
                v.set("source", event.source);
                v.set("payload", event.payload);
                frame = std::make_shared<const std::string>(text_frame(v));
            }
            c->queue.push_back(frame);
            woke = true;
        }
        if (woke) wake();
    }

    void begin_close(Connection& c, std::uint16_t code, const std::string& reason,
                     std::chrono::milliseconds wait) {
        if (c.closing) return;
        c.closing = true;
        // Keep a partly written buffer whole (it holds whole frames), drop the rest.
        std::string partial;
        if (c.out_offset > 0 && !c.out.empty()) partial = std::move(c.out.front());
        c.out.clear();
        c.out_bytes = 0;
        if (!partial.empty()) c.push_out(std::move(partial));
        else c.out_offset = 0;
        c.push_out(ws::encode_close(code, reason));
        c.close_deadline = Clock::now() + wait;
    }

    void handle_text(Connection& c, const std::string& text) {
        auto parsed = sdk::Value::parse_json(text);
        if (!parsed) {
            c.push_out(text_frame(error_message("invalid JSON: " + parsed.error().message)));
            return;
        }
        const sdk::Value& msg = *parsed;
        const sdk::Value* sub = msg.find("subscribe");
        const sdk::Value* unsub = msg.find("unsubscribe");
        if (!msg.is_map() || msg.size() != 1 || (!sub && !unsub)) {
            c.push_out(text_frame(error_message(
                "unknown message: expected {\"subscribe\":[...]} or {\"unsubscribe\":[...]}")));
            return;
        }
        const sdk::Value& list = sub ? *sub : *unsub;
        const char* key = sub ? "subscribe" : "unsubscribe";
        if (!list.is_list()) {
            c.push_out(text_frame(error_message(std::string("$.") + key + ": expected a list of topic patterns")));
            return;
        }
        for (std::size_t i = 0; i < list.as_list().size(); ++i) {
            const auto& item = list.as_list()[i];
            if (!item.is_string() || item.as_string().empty()) {
                c.push_out(text_frame(error_message(std::string("$.") + key + "[" +
                                                    std::to_string(i) +
                                                    "]: expected a non-empty string")));
                return;
            }
        }
        std::vector<std::string> now;
        {
            std::lock_guard lock(mutex);
            for (const auto& item : list.as_list()) {
                const std::string& t = item.as_string();
                auto it = std::find(c.topics.begin(), c.topics.end(), t);
                if (sub && it == c.topics.end()) c.topics.push_back(t);
                if (unsub && it != c.topics.end()) c.topics.erase(it);
            }
            now = c.topics;
        }
        sdk::Value reply = sdk::Value::map();
        reply.set("type", "subscribed");
        sdk::Value topics = sdk::Value::list();
        for (auto& t : now) topics.push_back(std::move(t));
        reply.set("topics", std::move(topics));
        c.push_out(text_frame(reply));
    }

    void handle_frame(Connection& c, ws::Frame& f) {
        switch (f.opcode) {
            case ws::ping:
                if (!c.closing) c.push_out(ws::encode_frame(ws::pong, f.payload));
                return;
            case ws::pong: return;
            case ws::close: {
                c.peer_closed = true;
                c.discard_input = true;  // nothing may follow a close frame
                if (c.closing) {
                    c.dead = true;  // handshake complete
                    return;
                }
                std::uint16_t code = 1000;
                if (f.payload.size() >= 2)
                    code = static_cast<std::uint16_t>(
                        (static_cast<unsigned char>(f.payload[0]) << 8) |
                        static_cast<unsigned char>(f.payload[1]));
                begin_close(c, code, "", kPeerCloseWait);
                return;
            }
            case ws::text:
            case ws::binary:
                if (c.message_opcode != -1) {
                    begin_close(c, 1002, "new message inside a fragmented one", kPeerCloseWait);
                    return;
                }
                c.message_opcode = f.opcode;
                c.message = std::move(f.payload);
                break;
            case ws::continuation:
                if (c.message_opcode == -1) {
                    begin_close(c, 1002, "continuation without a message", kPeerCloseWait);
                    return;
                }
                if (c.message.size() + f.payload.size() > settings.max_message_bytes) {
                    c.message.clear();
                    c.message_opcode = -1;
                    begin_close(c, 1009, "message too big", kPeerCloseWait);
                    return;
                }
                c.message += f.payload;
                break;
            default:
                begin_close(c, 1002, "unknown opcode", kPeerCloseWait);
                return;
        }
        if (c.message.size() > settings.max_message_bytes) {
            begin_close(c, 1009, "message too big", kPeerCloseWait);
            return;
        }
        if (!f.fin) return;
        const int opcode = c.message_opcode;
        c.message_opcode = -1;
        std::string text = std::move(c.message);
        c.message.clear();
        if (c.closing) return;
        if (opcode == ws::binary)
            c.push_out(text_frame(error_message("binary messages are not supported; send JSON text")));
        else
            handle_text(c, text);
    }

    // The most unhandled input a socket may hold: one whole frame of the
    // largest size plus one round of reading (`in` itself may also keep up to
    // kReadBytesPerRound handled bytes until it is compacted).
    std::size_t in_cap() const {
        return settings.max_message_bytes + kMaxFrameHeaderBytes + kReadBytesPerRound;
    }

    // Reads at most kReadBytesPerRound, and never past in_cap(). Input that
    // is being discarded is read (so the peer's sends complete) and dropped.
    void read_some(Connection& c) {
        char buf[16384];
        std::size_t budget = kReadBytesPerRound;
        while (budget > 0 && !c.dead) {
            std::size_t room = budget;
            if (!c.discard_input) {
                const std::size_t cap = in_cap();
                const std::size_t held = c.in_unhandled();
                room = held >= cap ? 0 : std::min(room, cap - held);
            }
            if (room == 0) break;
            ssize_t n = ::recv(c.fd, buf, std::min(sizeof buf, room), MSG_DONTWAIT);
            if (n > 0) {
                budget -= static_cast<std::size_t>(n);
                if (!c.discard_input) c.in.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) {
                c.dead = true;
                break;
            }
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) c.dead = true;
            break;
        }
    }

    // Handles at most kFramesPerRound whole frames from `in`; sets in_ready
    // when more may be waiting. Stops early when the hub is stopping.
    void handle_frames(Connection& c) {
        c.in_ready = false;
        std::size_t pos = c.in_offset;
        int handled = 0;
        while (!c.dead && !c.discard_input) {
            // Stopping: leave the rest until the 1001 close is queued (after
            // that, frames are only decoded and dropped).
            if (handled == kFramesPerRound ||
                (!c.closing && stop_flag.load(std::memory_order_relaxed))) {
                c.in_ready = pos < c.in.size();
                break;
            }
            ws::Frame frame;
            std::size_t used = 0;
            std::string error;
            std::uint16_t code = 1002;
            auto st = ws::decode_frame(std::string_view(c.in).substr(pos),
                                       settings.max_message_bytes, frame, used, error, code);
            if (st == ws::DecodeStatus::need_more) break;
            if (st == ws::DecodeStatus::error) {
                warn("websocket " + c.peer + ": " + error);
                begin_close(c, code, error, kPeerCloseWait);
                c.discard_input = true;  // the stream cannot be framed any more
                break;
            }
            pos += used;
            ++handled;
            handle_frame(c, frame);
            if (!c.closing && c.out_bytes > settings.max_pending_out_bytes) {
                warn("websocket " + c.peer + " does not read its replies (more than " +
                     std::to_string(settings.max_pending_out_bytes) +
                     " bytes unsent); closing it with 1008");
                begin_close(c, 1008, "client not reading: too much unsent output",
                            kPeerCloseWait);
            }
        }
        if (c.discard_input || pos == c.in.size()) {
            c.in.clear();
            c.in_offset = 0;
        } else if (pos >= kReadBytesPerRound) {  // compact now and then, not every round
            c.in.erase(0, pos);
            c.in_offset = 0;
        } else {
            c.in_offset = pos;
        }
    }

    void write_to(Connection& c) {
        while (!c.out.empty()) {
            const std::string& front = c.out.front();
            ssize_t n = ::send(c.fd, front.data() + c.out_offset, front.size() - c.out_offset,
                               MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK) c.dead = true;
                return;
            }
            c.out_offset += static_cast<std::size_t>(n);
            if (c.out_offset == front.size()) {
                c.out_bytes -= front.size();
                c.out.pop_front();
                c.out_offset = 0;
            }
        }
        // Our close went out after the peer's: we are done.
        if (c.closing && c.peer_closed) c.dead = true;
        // Our close went out after a framing error: we cannot read the peer's
        // close, so send FIN and wait for its end of stream (or the deadline).
        else if (c.closing && c.discard_input && !c.write_shut) {
            c.write_shut = true;
            ::shutdown(c.fd, SHUT_WR);
        }
    }

    // Moves queued events into the write buffer (bounded) and turns overflow
    // into a 1008 close. Called with the mutex held.
    void refill(Connection& c, bool stopping) {
        if (stopping) {
            c.queue.clear();
            if (!c.closing) begin_close(c, 1001, "server stopping", kStopCloseWait);
            // A close begun earlier waits no longer than a stop allows.
            else c.close_deadline = std::min(c.close_deadline, Clock::now() + kStopCloseWait);
            return;
        }
        if (c.overflow && !c.closing) {
            c.queue.clear();
            warn("websocket " + c.peer + " fell behind by more than " +
                 std::to_string(settings.max_queued_events) + " events; closing it");
            begin_close(c, 1008,
                        "client too slow: more than " + std::to_string(settings.max_queued_events) +
                            " events queued",
                        kOverflowCloseWait);
            return;
        }
        if (c.closing) {
            c.queue.clear();
            return;
        }
        while (!c.queue.empty() && c.out_bytes < kOutBytesHigh) {
            c.push_out(*c.queue.front());
            c.queue.pop_front();
        }
    }

    void run() {
        std::vector<pollfd> fds;
        std::vector<std::shared_ptr<Connection>> active;
        while (true) {
            bool stopping;
            {
                std::lock_guard lock(mutex);
                stopping = stop_requested;
                active = connections;
                for (auto& c : active) refill(*c, stopping);
            }
            const auto now = Clock::now();
            for (auto& c : active) {
                if (!c->dead && !c->out.empty()) write_to(*c);
                if (c->closing && now >= c->close_deadline) c->dead = c->timed_out = true;
            }
            drop_dead(active);
            if (stopping && active.empty()) return;

            fds.clear();
            fds.push_back(pollfd{wake_fd, POLLIN, 0});
            auto timeout_ms = 1000;
            for (auto& c : active) {
                short ev = 0;
                // A full input buffer is not read until its frames are handled.
                if (c->discard_input || c->in_unhandled() < in_cap()) ev |= POLLIN;
                if (!c->out.empty()) ev |= POLLOUT;
                if (c->in_ready) timeout_ms = 0;  // frames left over from the last round
                fds.push_back(pollfd{c->fd, ev, 0});
                if (c->closing) {
                    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    c->close_deadline - now)
                                    .count();
                    timeout_ms = static_cast<int>(std::clamp<long long>(left + 1, 0, timeout_ms));
                }
            }
            int rc = ::poll(fds.data(), fds.size(), timeout_ms);
            if (rc < 0) {
                if (errno == EINTR) continue;
                warn(std::string("websocket hub: poll failed: ") + std::strerror(errno));
                return;
            }
            if (fds[0].revents & POLLIN) {
                std::uint64_t count;
                [[maybe_unused]] auto n = ::read(wake_fd, &count, sizeof count);
            }
            for (std::size_t i = 0; i < active.size(); ++i) {
                Connection& c = *active[i];
                const short rev = fds[i + 1].revents;
                const bool readable = (rev & (POLLIN | POLLHUP | POLLERR)) != 0;
                if (readable) read_some(c);
                if (!c.dead && (readable || c.in_ready)) handle_frames(c);
                if (!c.dead && (rev & POLLOUT)) write_to(c);
                if (rev & POLLNVAL) c.dead = true;
            }
            drop_dead(active);
        }
    }

    void drop_dead(std::vector<std::shared_ptr<Connection>>& active) {
        bool any = false;
        for (auto& c : active) any = any || c->dead;
        if (!any) return;
        std::vector<std::shared_ptr<Connection>> gone;
        {
            std::lock_guard lock(mutex);
            // stable_partition, not remove_if: the dead ones must stay valid.
            auto it = std::stable_partition(connections.begin(), connections.end(),
                                            [](const auto& c) { return !c->dead; });
            gone.assign(it, connections.end());
            connections.erase(it, connections.end());
        }
        active.erase(std::remove_if(active.begin(), active.end(),
                                    [](const auto& c) { return c->dead; }),
                     active.end());
        for (auto& c : gone) {
            int kernel_unsent = 0;
            if (c->timed_out && (!c->out.empty() ||
                                 (::ioctl(c->fd, TIOCOUTQ, &kernel_unsent) == 0 &&
                                  kernel_unsent > 0))) {
                // The peer did not finish the close in time and is not reading
                // what we sent: reset the connection rather than leave the
                // kernel holding the unsent bytes in an orphaned socket.
                linger off{1, 0};
                ::setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &off, sizeof off);
            }
            try {
                c->socket->close();
            } catch (...) {
            }
            slots.fetch_sub(1);
        }
    }
};

WebSocketHub::WebSocketHub(WebSocketHubSettings settings, events::EventBusImpl& bus,
                           std::shared_ptr<sdk::Logger> logger)
    : impl_(std::make_unique<Impl>(settings, bus, std::move(logger))) {}

WebSocketHub::~WebSocketHub() {
    stop();
    if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

sdk::Status WebSocketHub::start() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (impl_->thread.joinable()) return {};
    if (impl_->wake_fd < 0) {
        impl_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (impl_->wake_fd < 0)
            return sdk::Status::failure("io_error",
                                        std::string("eventfd failed: ") + std::strerror(errno));
    }
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stop_requested = false;
        impl_->running = true;
    }
    impl_->stop_flag.store(false);
    impl_->subscription = impl_->bus.subscribe_from(
        "kernel.api", "*", [impl = impl_.get()](const sdk::Event& e) { impl->on_event(e); });
    impl_->thread = std::thread([impl = impl_.get()] {
        try {
            impl->run();
        } catch (const std::exception& e) {
            if (impl->logger) impl->logger->error(std::string("websocket hub stopped: ") + e.what());
        }
    });
    return {};
}

bool WebSocketHub::try_reserve() {
    int now = impl_->slots.load();
    while (now < impl_->settings.max_sockets) {
        if (impl_->slots.compare_exchange_weak(now, now + 1)) return true;
    }
    return false;
}

void WebSocketHub::release_reservation() { impl_->slots.fetch_sub(1); }

void WebSocketHub::adopt(std::unique_ptr<Poco::Net::WebSocket> socket,
                         std::vector<std::string> topics) {
    auto c = std::make_shared<Connection>();
    try {
        c->peer = socket->peerAddress().toString();
        socket->setBlocking(false);
        socket->setNoDelay(true);
    } catch (...) {
    }
    c->fd = socket->impl()->sockfd();
    c->socket = std::move(socket);
    c->topics = std::move(topics);
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->running && !impl_->stop_requested) {
            c->min_sequence = impl_->bus.last_sequence();
            sdk::Value hello = sdk::Value::map();
            hello.set("type", "hello");
            hello.set("last_sequence", static_cast<long long>(c->min_sequence));
            c->queue.push_back(std::make_shared<const std::string>(text_frame(hello)));
            impl_->connections.push_back(c);
            c.reset();
        }
    }
    if (c) {  // hub stopping: say so and let go
        try {
            c->socket->setBlocking(true);
            c->socket->shutdown(Poco::Net::WebSocket::WS_ENDPOINT_GOING_AWAY, "server stopping");
            c->socket->close();
        } catch (...) {
        }
        impl_->slots.fetch_sub(1);
        return;
    }
    impl_->wake();
}

void WebSocketHub::stop() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (!impl_->thread.joinable()) return;
    // Unsubscribe first (waits for a delivery in progress), without our mutex.
    impl_->bus.unsubscribe(impl_->subscription);
    impl_->subscription = 0;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stop_requested = true;
    }
    impl_->stop_flag.store(true);
    impl_->wake();
    impl_->thread.join();
    std::vector<std::shared_ptr<Connection>> left;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->running = false;
        left.swap(impl_->connections);
    }
    for (auto& c : left) {  // only if the thread died early
        try {
            c->socket->close();
        } catch (...) {
        }
        impl_->slots.fetch_sub(1);
    }
}

int WebSocketHub::socket_count() const noexcept { return impl_->slots.load(); }

}  // namespace till::api
