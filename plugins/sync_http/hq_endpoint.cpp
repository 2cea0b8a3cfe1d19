#include "hq_endpoint.hpp"

#include <filesystem>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

namespace till::sync_http {

struct HqEndpoint::Impl {
    std::string scheme;
    std::string host;
    std::uint16_t port = 0;
    std::string prefix;  ///< "" or "/something" without a trailing slash
    Poco::Net::Context::Ptr context;  ///< https only
};

sdk::Result<HqEndpoint> HqEndpoint::create(const std::string& url, const TlsOptions& tls) {
    auto impl = std::make_shared<Impl>();
    try {
        Poco::URI uri(url);
        impl->scheme = uri.getScheme();
        if (impl->scheme != "http" && impl->scheme != "https")
            return sdk::Error{"invalid_argument",
                              "sync_http.hq_url: expected http://host:port or https://host:port, got \"" + url + "\""};
        impl->host = uri.getHost();
        if (impl->host.empty())
            return sdk::Error{"invalid_argument", "sync_http.hq_url: no host in \"" + url + "\""};
        impl->port = uri.getPort();
        impl->prefix = uri.getPath();
        while (!impl->prefix.empty() && impl->prefix.back() == '/') impl->prefix.pop_back();
        if (!uri.getQuery().empty() || !uri.getFragment().empty())
            return sdk::Error{"invalid_argument", "sync_http.hq_url: must not carry a query or fragment"};
    } catch (const Poco::Exception& e) {
        return sdk::Error{"invalid_argument", "sync_http.hq_url: " + e.displayText()};
    }
    if (impl->scheme == "https") {
        if (!tls.ca_file.empty() && !std::filesystem::is_regular_file(tls.ca_file))
            return sdk::Error{"io_error", "sync_http.ca_file: " + tls.ca_file + " is not a readable file"};
        try {
            Poco::Net::Context::Params params;
            params.verificationMode = tls.verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
            params.caLocation = tls.ca_file;
            params.loadDefaultCAs = tls.ca_file.empty();
            impl->context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
            impl->context->enableExtendedCertificateVerification(tls.verify);
        } catch (const Poco::Exception& e) {
            return sdk::Error{"io_error", "sync_http: cannot set up TLS: " + e.displayText()};
        }
    }
    HqEndpoint endpoint;
    endpoint.impl_ = std::move(impl);
    return endpoint;
}

std::unique_ptr<Poco::Net::HTTPClientSession> HqEndpoint::open_session(std::int64_t timeout_ms) const {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (!impl_->context.isNull())
        session = std::make_unique<Poco::Net::HTTPSClientSession>(impl_->host, impl_->port, impl_->context);
    else
        session = std::make_unique<Poco::Net::HTTPClientSession>(impl_->host, impl_->port);
    const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(timeout_ms) * 1000);
    session->setTimeout(timeout, timeout, timeout);
    session->setKeepAlive(false);
    return session;
}

std::string HqEndpoint::path(std::string_view route) const { return impl_->prefix + std::string(route); }

bool HqEndpoint::tls() const noexcept { return !impl_->context.isNull(); }

std::string HqEndpoint::describe() const {
    return impl_->scheme + "://" + impl_->host + ":" + std::to_string(impl_->port) + impl_->prefix;
}

}  // namespace till::sync_http
