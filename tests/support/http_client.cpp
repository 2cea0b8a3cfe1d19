#include "support/http_client.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <stdexcept>

namespace till::test {

HttpReply http_request(int port, const std::string& method, const std::string& path, const std::string& body,
                       const std::string& content_type) {
    return http_call(port, method, path, body, {{"Content-Type", content_type}});
}

HttpReply http_call(int port, const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
    std::string content_type = "application/json";
    for (const auto& [k, v] : headers)
        if (Poco::icompare(k, "Content-Type") == 0) content_type = v;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
        session.setTimeout(Poco::Timespan(30, 0));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
            request.setContentType(content_type);
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        for (const auto& [k, v] : headers)
            if (Poco::icompare(k, "Content-Type") != 0) request.set(k, v);
        std::ostream& out = session.sendRequest(request);
        out << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpReply reply;
        reply.status = static_cast<int>(response.getStatus());
        reply.content_type = response.getContentType();
        for (const auto& [name, value] : response) reply.headers[Poco::toLower(name)] = value;
        Poco::StreamCopier::copyToString(in, reply.body);
        return reply;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("HTTP " + method + " " + path + " on port " + std::to_string(port) +
                                 " failed: " + e.displayText());
    }
}

}  // namespace till::test
