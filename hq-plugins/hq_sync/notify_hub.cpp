#include "notify_hub.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "wire.hpp"
#include "ws_frame.hpp"

namespace till::hq_sync {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxClientFrameBytes = 4096;   // stores send nothing but pings and close
constexpr std::size_t kReadBytesPerRound = 16 * 1024;
constexpr std::size_t kMaxOutBytes = 64 * 1024;      // pongs + one revision + one ping, never more
constexpr auto kPeerCloseWait = std::chrono::milliseconds(2000);
constexpr auto kStopCloseWait = std::chrono::milliseconds(1000);

enum class Io { some, would_block, closed };

struct Connection {
    Poco::Net::StreamSocket socket;
    int fd = -1;
    bool secure = false;
    std::string store_id;
    std::string token;               // re-checked by the auditor thread
    std::atomic<bool> revoked{false};  // set by the auditor: close with 1008
    std::string peer;

    std::int64_t sent_revision = -1;  // hub thread only
    std::string out;                  // bytes to write (whole frames)
    std::size_t out_offset = 0;
    std::string in;
    bool closing = false;
    bool peer_closed = false;
    bool dead = false;
    Clock::time_point close_deadline{};
    Clock::time_point next_ping{};

    bool has_out() const { return out_offset < out.size(); }
    void push_out(const std::string& frame) {
        if (out_offset == out.size()) {
            out.clear();
            out_offset = 0;
        }
        out += frame;
    }

    // Plain sockets: raw non-blocking calls. TLS: Poco's record layer; its
    // retry loop polls with the socket timeouts (set to 1 ms at adopt) and
    // reports "would block" as a TimeoutException or a negative count.
    Io read(char* buf, std::size_t size, std::size_t& got) {
        got = 0;
        if (!secure) {
            ssize_t n = ::recv(fd, buf, size, MSG_DONTWAIT);
            if (n > 0) {
                got = static_cast<std::size_t>(n);
                return Io::some;
            }
            if (n == 0) return Io::closed;
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return Io::would_block;
            return Io::closed;
        }
        try {
            int n = socket.impl()->receiveBytes(buf, static_cast<int>(size));
            if (n > 0) {
                got = static_cast<std::size_t>(n);
                return Io::some;
            }
            return n == 0 ? Io::closed : Io::would_block;
        } catch (const Poco::TimeoutException&) {
            return Io::would_block;
        } catch (...) {
            return Io::closed;
        }
    }

    Io write(const char* data, std::size_t size, std::size_t& sent) {
        sent = 0;
        if (!secure) {
            ssize_t n = ::send(fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n >= 0) {
                sent = static_cast<std::size_t>(n);
                return Io::some;
            }
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return Io::would_block;
            return Io::closed;
        }
        try {
            int n = socket.impl()->sendBytes(data, static_cast<int>(size));
            if (n > 0) {
                sent = static_cast<std::size_t>(n);
                return Io::some;
            }
            return Io::would_block;
        } catch (const Poco::TimeoutException&) {
            return Io::would_block;
        } catch (...) {
            return Io::closed;
        }
    }
};

}  // namespace

struct NotifyHub::Impl {
    Impl(NotifyHubSettings s, std::shared_ptr<sdk::Logger> l) : settings(s), logger(std::move(l)) {}

    NotifyHubSettings settings;
    std::shared_ptr<sdk::Logger> logger;

    mutable std::mutex mutex;
    std::vector<std::shared_ptr<Connection>> connections;  // guarded by mutex
    std::vector<std::shared_ptr<Connection>> incoming;     // guarded by mutex: adopted, not yet polled
    bool running = false;                                  // guarded by mutex
    bool stop_requested = false;                           // guarded by mutex
    std::atomic<std::int64_t> newest{0};
    std::atomic<int> slots{0};
    int wake_fd = -1;
    std::thread thread;
    std::thread auditor;              // re-checks tokens off the socket thread
    std::condition_variable audit_cv;  // with mutex; woken by stop()
    std::mutex lifecycle_mutex;

    // Every ping_interval_ms: asks still_authorised() for each distinct token
    // of the open sockets (storage calls never block the socket thread) and
    // flags the sockets of refused tokens; the socket thread closes them.
    void audit() {
        std::unique_lock lock(mutex);
        while (!stop_requested) {
            audit_cv.wait_for(lock, std::chrono::milliseconds(settings.ping_interval_ms),
                              [this] { return stop_requested; });
            if (stop_requested) break;
            std::map<std::string, std::vector<std::shared_ptr<Connection>>> by_token;
            for (const auto* list : {&connections, &incoming})
                for (const auto& c : *list)
                    if (!c->revoked.load()) by_token[c->token].push_back(c);
            lock.unlock();
            bool flagged = false;
            for (auto& [token, sockets] : by_token) {
                {
                    std::lock_guard check(mutex);
                    if (stop_requested) break;
                }
                if (settings.still_authorised(token)) continue;
                for (auto& c : sockets) c->revoked = true;
                flagged = true;
            }
            if (flagged) wake();
            lock.lock();
        }
    }

    void wake() {
        if (wake_fd < 0) return;
        std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd, &one, sizeof one);
    }

    void begin_close(Connection& c, std::uint16_t code, const std::string& reason, std::chrono::milliseconds wait) {
        if (c.closing) return;
        c.closing = true;
        c.push_out(ws::encode_close(code, reason));
        c.close_deadline = Clock::now() + wait;
    }

    void handle_frame(Connection& c, ws::Frame& f) {
        switch (f.opcode) {
            case ws::ping:
                if (!c.closing && c.out.size() - c.out_offset < kMaxOutBytes)
                    c.push_out(ws::encode_frame(ws::pong, f.payload));
                return;
            case ws::close:
                c.peer_closed = true;
                if (c.closing) {
                    c.dead = true;
                    return;
                }
                begin_close(c, 1000, "", kPeerCloseWait);
                return;
            case ws::pong:
            case ws::text:
            case ws::binary:
            case ws::continuation:
                return;  // stores have nothing to say here
            default:
                begin_close(c, 1002, "unknown opcode", kPeerCloseWait);
                return;
        }
    }

    void read_some(Connection& c) {
        char buf[4096];
        std::size_t budget = kReadBytesPerRound;
        while (budget > 0 && !c.dead) {
            std::size_t got = 0;
            Io io = c.read(buf, std::min(sizeof buf, budget), got);
            if (io == Io::closed) {
                c.dead = true;
                return;
            }
            if (io == Io::would_block) break;
            budget -= got;
            if (!c.peer_closed) c.in.append(buf, got);
        }
        std::size_t pos = 0;
        while (!c.dead && !c.peer_closed) {
            ws::Frame frame;
            std::size_t used = 0;
            std::string error;
            std::uint16_t code = 1002;
            auto st = ws::decode_frame(std::string_view(c.in).substr(pos), kMaxClientFrameBytes, frame, used,
                                       error, code);
            if (st == ws::DecodeStatus::need_more) break;
            if (st == ws::DecodeStatus::error) {
                if (logger) logger->warn("notify websocket of " + c.store_id + " (" + c.peer + "): " + error);
                begin_close(c, code, error, kPeerCloseWait);
                c.peer_closed = true;  // the stream cannot be framed any more: stop reading it
                break;
            }
            pos += used;
            handle_frame(c, frame);
        }
        if (c.peer_closed) c.in.clear();
        else c.in.erase(0, pos);
    }

    void write_some(Connection& c) {
        while (c.has_out() && !c.dead) {
            std::size_t sent = 0;
            Io io = c.write(c.out.data() + c.out_offset, c.out.size() - c.out_offset, sent);
            if (io == Io::closed) c.dead = true;
            if (io != Io::some || sent == 0) break;
            c.out_offset += sent;
        }
        if (!c.has_out()) {
            c.out.clear();
            c.out_offset = 0;
            if (c.closing && c.peer_closed) c.dead = true;
        }
    }

    // Queues what each socket is owed: the newest revision when it has no
    // unsent bytes (coalescing), a ping when due, a close when stopping.
    void refill(Connection& c, std::int64_t revision, bool stopping, Clock::time_point now) {
        if (stopping) {
            if (!c.closing) begin_close(c, 1001, "server stopping", kStopCloseWait);
            else c.close_deadline = std::min(c.close_deadline, now + kStopCloseWait);
            return;
        }
        if (c.closing) return;
        if (c.revoked.load()) {
            if (logger) logger->info("notify websocket of " + c.store_id + " (" + c.peer + "): token revoked");
            begin_close(c, 1008, "sync token revoked", kPeerCloseWait);
            return;
        }
        if (revision > c.sent_revision && !c.has_out()) {
            c.push_out(ws::encode_frame(ws::text, revision_message(revision)));
            c.sent_revision = revision;
        }
        if (now >= c.next_ping) {
            if (c.out.size() - c.out_offset < kMaxOutBytes) c.push_out(ws::encode_frame(ws::ping, ""));
            c.next_ping = now + std::chrono::milliseconds(settings.ping_interval_ms);
        }
    }

    void close_socket(Connection& c) {
        try {
            c.socket.close();
        } catch (...) {
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
                for (auto& c : incoming) connections.push_back(std::move(c));
                incoming.clear();
                active = connections;
            }
            const std::int64_t revision = newest.load();
            auto now = Clock::now();
            for (auto& c : active) {
                refill(*c, revision, stopping, now);
                if (c->has_out()) write_some(*c);
                if (c->closing && now >= c->close_deadline) c->dead = true;
            }
            drop_dead(active);
            if (stopping && active.empty()) return;

            fds.clear();
            fds.push_back(pollfd{wake_fd, POLLIN, 0});
            auto next = now + std::chrono::milliseconds(settings.ping_interval_ms);
            for (auto& c : active) {
                short ev = POLLIN;
                if (c->has_out()) ev |= POLLOUT;
                fds.push_back(pollfd{c->fd, ev, 0});
                next = std::min(next, c->next_ping);
                if (c->closing) next = std::min(next, c->close_deadline);
            }
            const auto wait_ms = std::clamp<long long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1, 0, 1000);
            int rc = ::poll(fds.data(), fds.size(), static_cast<int>(wait_ms));
            if (rc < 0) {
                if (errno == EINTR) continue;
                if (logger) logger->error(std::string("notify hub: poll failed: ") + std::strerror(errno));
                return;
            }
            if (fds[0].revents & POLLIN) {
                std::uint64_t count;
                [[maybe_unused]] auto n = ::read(wake_fd, &count, sizeof count);
            }
            for (std::size_t i = 0; i < active.size(); ++i) {
                Connection& c = *active[i];
                const short rev = fds[i + 1].revents;
                if (rev & POLLNVAL) c.dead = true;
                if (!c.dead && (rev & (POLLIN | POLLHUP | POLLERR))) read_some(c);
                if (!c.dead && (rev & POLLOUT)) write_some(c);
            }
            drop_dead(active);
        }
    }

    void drop_dead(std::vector<std::shared_ptr<Connection>>& active) {
        if (std::none_of(active.begin(), active.end(), [](const auto& c) { return c->dead; })) return;
        std::vector<std::shared_ptr<Connection>> gone;
        {
            std::lock_guard lock(mutex);
            auto it = std::stable_partition(connections.begin(), connections.end(),
                                            [](const auto& c) { return !c->dead; });
            gone.assign(it, connections.end());
            connections.erase(it, connections.end());
        }
        active.erase(std::remove_if(active.begin(), active.end(), [](const auto& c) { return c->dead; }),
                     active.end());
        for (auto& c : gone) {
            close_socket(*c);
            slots.fetch_sub(1);
        }
    }
};

NotifyHub::NotifyHub(NotifyHubSettings settings, std::shared_ptr<sdk::Logger> logger)
    : impl_(std::make_unique<Impl>(settings, std::move(logger))) {}

NotifyHub::~NotifyHub() {
    stop();
    if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

sdk::Status NotifyHub::start() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (impl_->thread.joinable()) return {};
    if (impl_->wake_fd < 0) {
        impl_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (impl_->wake_fd < 0)
            return sdk::Status::failure("io_error", std::string("eventfd failed: ") + std::strerror(errno));
    }
    {
        std::lock_guard lock(impl_->mutex);
        impl_->running = true;
        impl_->stop_requested = false;
    }
    impl_->thread = std::thread([impl = impl_.get()] {
        try {
            impl->run();
        } catch (const std::exception& e) {
            if (impl->logger) impl->logger->error(std::string("notify hub stopped: ") + e.what());
        }
    });
    if (impl_->settings.still_authorised)
        impl_->auditor = std::thread([impl = impl_.get()] {
            try {
                impl->audit();
            } catch (const std::exception& e) {
                if (impl->logger) impl->logger->error(std::string("notify hub: token checks stopped: ") + e.what());
            }
        });
    return {};
}

bool NotifyHub::try_reserve() {
    int now = impl_->slots.load();
    while (now < impl_->settings.max_connections)
        if (impl_->slots.compare_exchange_weak(now, now + 1)) return true;
    return false;
}

void NotifyHub::release_reservation() { impl_->slots.fetch_sub(1); }

void NotifyHub::adopt(Poco::Net::StreamSocket socket, std::string store_id, std::string token,
                      std::int64_t current_revision) {
    auto c = std::make_shared<Connection>();
    try {
        c->peer = socket.peerAddress().toString();
        c->secure = dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) != nullptr;
        if (c->secure) {
            socket.setReceiveTimeout(Poco::Timespan(0, 1000));
            socket.setSendTimeout(Poco::Timespan(0, 1000));
        }
        socket.setBlocking(false);
        socket.setNoDelay(true);
        socket.setKeepAlive(true);
    } catch (...) {
    }
    c->fd = socket.impl()->sockfd();
    c->socket = std::move(socket);
    c->store_id = std::move(store_id);
    c->token = std::move(token);
    c->next_ping = Clock::now() + std::chrono::milliseconds(impl_->settings.ping_interval_ms);
    // The first frame: the newest revision known now. A broadcast racing with
    // this adoption is not lost: the hub thread compares against `newest`.
    std::int64_t first = std::max(current_revision, impl_->newest.load());
    c->push_out(ws::encode_frame(ws::text, revision_message(first)));
    c->sent_revision = first;
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->running && !impl_->stop_requested) {
            impl_->incoming.push_back(std::move(c));
        }
    }
    if (c) {  // stopping: let go
        try {
            const std::string close = ws::encode_close(1001, "server stopping");
            c->socket.setBlocking(true);
            c->socket.sendBytes(close.data(), static_cast<int>(close.size()));
        } catch (...) {
        }
        impl_->close_socket(*c);
        impl_->slots.fetch_sub(1);
        return;
    }
    impl_->wake();
}

void NotifyHub::broadcast(std::int64_t revision) {
    std::int64_t now = impl_->newest.load();
    while (revision > now && !impl_->newest.compare_exchange_weak(now, revision)) {
    }
    if (revision > now) impl_->wake();
}

void NotifyHub::stop() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (!impl_->thread.joinable()) return;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stop_requested = true;
    }
    impl_->wake();
    impl_->audit_cv.notify_all();
    impl_->thread.join();
    if (impl_->auditor.joinable()) impl_->auditor.join();
    std::vector<std::shared_ptr<Connection>> left;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->running = false;
        left.swap(impl_->connections);
        for (auto& c : impl_->incoming) left.push_back(std::move(c));
        impl_->incoming.clear();
    }
    for (auto& c : left) {
        impl_->close_socket(*c);
        impl_->slots.fetch_sub(1);
    }
}

int NotifyHub::connection_count() const noexcept { return impl_->slots.load(); }

int NotifyHub::store_count() const {
    std::set<std::string> stores;
    std::lock_guard lock(impl_->mutex);
    for (const auto& c : impl_->connections) stores.insert(c->store_id);
    for (const auto& c : impl_->incoming) stores.insert(c->store_id);
    return static_cast<int>(stores.size());
}

std::int64_t NotifyHub::newest_revision() const noexcept { return impl_->newest.load(); }

}  // namespace till::hq_sync
