#include "app/tillctl_http.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace till::ctl {

sdk::Result<HttpAnswer> http_get(const std::string& base_url, const std::string& path) {
    try {
        Poco::URI uri(base_url);
        if (uri.getScheme() != "http") return sdk::Error{"invalid_argument", "only http:// URLs are supported: " + base_url};
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpAnswer answer;
        answer.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, answer.body);
        return answer;
    } catch (const Poco::Exception& e) {
        return sdk::Error{"unreachable", "cannot reach " + base_url + ": " + e.displayText()};
    } catch (const std::exception& e) {
        return sdk::Error{"unreachable", "cannot reach " + base_url + ": " + e.what()};
    }
}

}  // namespace till::ctl
