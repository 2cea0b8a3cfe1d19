#include "app/tillctl_http.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace till::ctl {

sdk::Result<HttpAnswer> http_get(const std::string& base_url, const std::string& path) {
    return http_call(base_url, "GET", path);
}

sdk::Result<HttpAnswer> http_call(const std::string& base_url, const std::string& method, const std::string& path,
                                  const std::string& body, const std::map<std::string, std::string>& headers) {
    try {
        Poco::URI uri(base_url);
        if (uri.getScheme() != "http") return sdk::Error{"invalid_argument", "only http:// URLs are supported: " + base_url};
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(method == "GET" ? 10 : 30, 0));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        std::string content_type = "application/json";
        for (const auto& [name, value] : headers) {
            if (Poco::icompare(name, "Content-Type") == 0)
                content_type = value;
            else
                request.set(name, value);
        }
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
            request.setContentType(content_type);
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
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
