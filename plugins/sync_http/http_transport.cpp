#include "http_transport.hpp"

#include <sstream>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include "gzip_codec.hpp"
#include "notify_listener.hpp"
#include "wire_json.hpp"

namespace till::sync_http {

namespace {

// HQ's answers are small (acks) or bounded by pull_max_changes; this cap
// only stops a broken or hostile peer from exhausting memory.
constexpr std::size_t kMaxAnswerBytes = 256u * 1024u * 1024u;

}  // namespace

sdk::TransportStatus status_for_http(int http_status) noexcept {
    if (http_status >= 200 && http_status < 300) return sdk::TransportStatus::ok;
    if (http_status == 401 || http_status == 403) return sdk::TransportStatus::unauthorised;
    if (http_status == 400 || http_status == 413 || http_status == 422) return sdk::TransportStatus::rejected;
    return sdk::TransportStatus::failed;
}

HttpTransport::HttpTransport(std::optional<HqEndpoint> endpoint, TokenSource token, bool compress,
                             std::int64_t pull_max_changes, sdk::Logger& logger)
    : endpoint_(std::move(endpoint)),
      token_(std::move(token)),
      compress_(compress),
      pull_max_changes_(pull_max_changes),
      logger_(logger) {}

HttpTransport::~HttpTransport() = default;

void HttpTransport::set_notify_handler(NotifyHandler handler) {
    std::shared_ptr<NotifyListener> listener;
    {
        std::lock_guard lock(mutex_);
        handler_ = handler;
        listener = listener_;
    }
    if (listener) listener->set_handler(std::move(handler));
}

void HttpTransport::attach_listener(std::shared_ptr<NotifyListener> listener) {
    NotifyHandler handler;
    {
        std::lock_guard lock(mutex_);
        listener_ = listener;
        handler = handler_;
    }
    if (listener && handler) listener->set_handler(std::move(handler));
}

std::shared_ptr<NotifyListener> HttpTransport::detach_listener() {
    std::lock_guard lock(mutex_);
    return std::exchange(listener_, nullptr);
}

HttpTransport::Outcome HttpTransport::exchange(const std::string& method, const std::string& path,
                                               const std::string& body, bool gzip_body, std::int64_t timeout_ms) {
    Outcome outcome;
    if (!endpoint_) {
        outcome.message = "sync_http is not configured: set sync_http.hq_url";
        return outcome;
    }
    auto token = token_.current();
    if (!token) {
        outcome.status = token.error().code == "unauthorized" ? sdk::TransportStatus::unauthorised
                                                              : sdk::TransportStatus::failed;
        outcome.message = token.error().message;
        return outcome;
    }
    const std::string where = method + " " + endpoint_->describe() + path;
    try {
        auto session = endpoint_->open_session(timeout_ms > 0 ? timeout_ms : 15000);
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + *token);
        request.set("Accept", "application/json");
        if (compress_) request.set("Accept-Encoding", "gzip");
        if (method == Poco::Net::HTTPRequest::HTTP_POST) {
            const std::string payload = gzip_body ? gzip_compress(body) : body;
            request.setContentType("application/json");
            if (gzip_body) request.set("Content-Encoding", "gzip");
            request.setContentLength(static_cast<std::streamsize>(payload.size()));
            session->sendRequest(request).write(payload.data(), static_cast<std::streamsize>(payload.size()));
        } else {
            session->sendRequest(request);
        }
        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        // Read at most kMaxAnswerBytes (+1 to tell "too long"): a wrong
        // hq_url or a broken peer must not exhaust the store's memory.
        std::string raw;
        char chunk[64 * 1024];
        while (in && raw.size() <= kMaxAnswerBytes) {
            in.read(chunk, sizeof chunk);
            raw.append(chunk, static_cast<std::size_t>(in.gcount()));
        }
        if (raw.size() > kMaxAnswerBytes) {
            outcome.status = sdk::TransportStatus::failed;
            outcome.message = where + ": HQ's answer is larger than " + std::to_string(kMaxAnswerBytes) +
                              " bytes: not read";
            return outcome;
        }
        outcome.exchange.status = static_cast<int>(response.getStatus());
        outcome.exchange.content_encoding = response.get("Content-Encoding", "");
        if (outcome.exchange.content_encoding == "gzip") {
            auto plain = gzip_decompress(raw, kMaxAnswerBytes);
            if (!plain) {
                outcome.status = sdk::TransportStatus::failed;
                outcome.message = where + ": unreadable gzip answer: " + plain.error().message;
                return outcome;
            }
            outcome.exchange.body = std::move(*plain);
        } else {
            outcome.exchange.body = std::move(raw);
        }
        outcome.status = status_for_http(outcome.exchange.status);
        if (outcome.status != sdk::TransportStatus::ok)
            outcome.message = "HQ answered " + std::to_string(outcome.exchange.status) + " to " + where + ": " +
                              problem_text(outcome.exchange.body);
    } catch (const Poco::Net::SSLException& e) {
        outcome.status = sdk::TransportStatus::failed;
        outcome.message = where + ": TLS failed: " + e.displayText();
    } catch (const Poco::TimeoutException& e) {
        outcome.status = sdk::TransportStatus::offline;
        outcome.message = where + ": timed out: " + e.displayText();
    } catch (const Poco::Exception& e) {
        // Connection refused or reset, host unreachable, DNS failure: offline.
        outcome.status = sdk::TransportStatus::offline;
        outcome.message = where + ": " + e.displayText();
    } catch (const std::exception& e) {
        outcome.status = sdk::TransportStatus::offline;
        outcome.message = where + ": " + e.what();
    }
    return outcome;
}

sdk::PushResult HttpTransport::push(const sdk::SyncBatch& batch, std::int64_t timeout_ms) {
    sdk::PushResult result;
    auto outcome = exchange(Poco::Net::HTTPRequest::HTTP_POST, endpoint_ ? endpoint_->path("/sync/v1/batches") : "",
                            batch_json(batch), compress_, timeout_ms);
    result.status = outcome.status;
    result.message = outcome.message;
    if (outcome.status != sdk::TransportStatus::ok) return result;
    auto answer = parse_push_answer(outcome.exchange.body);
    if (!answer) {
        result.status = sdk::TransportStatus::failed;
        result.message = "HQ's answer to the batch is unreadable: " + answer.error().message;
        return result;
    }
    result.acknowledged_event_ids = std::move(answer->acknowledged_event_ids);
    return result;
}

sdk::PullResult HttpTransport::pull(std::int64_t since_revision, std::int64_t timeout_ms) {
    sdk::PullResult result;
    result.revision = since_revision;
    const std::string path = endpoint_ ? endpoint_->path("/sync/v1/changes") + "?since=" +
                                             std::to_string(since_revision) +
                                             "&limit=" + std::to_string(pull_max_changes_)
                                       : std::string();
    auto outcome = exchange(Poco::Net::HTTPRequest::HTTP_GET, path, {}, false, timeout_ms);
    result.status = outcome.status;
    result.message = outcome.message;
    if (outcome.status != sdk::TransportStatus::ok) return result;
    auto answer = parse_pull_answer(outcome.exchange.body);
    if (!answer) {
        result.status = sdk::TransportStatus::failed;
        result.message = "HQ's pull answer is unreadable: " + answer.error().message;
        return result;
    }
    for (const auto& change : answer->changes) {
        if (change["revision"].as_int() <= since_revision) {
            result.status = sdk::TransportStatus::failed;
            result.message = "HQ's pull answer holds revision " + std::to_string(change["revision"].as_int()) +
                             ", not after the asked-for " + std::to_string(since_revision);
            result.changes.clear();
            return result;
        }
    }
    result.revision = std::max(answer->revision, since_revision);
    result.more = answer->more;
    result.changes = std::move(answer->changes);
    return result;
}

}  // namespace till::sync_http
