// Plain HTTP calls to a node under test, over a real socket.
#pragma once

#include <map>
#include <string>

namespace till::test {

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  ///< names in lower case
};

/// Sends one request to http://127.0.0.1:port + path. Throws std::runtime_error
/// when the server cannot be reached (test code).
HttpReply http_request(int port, const std::string& method, const std::string& path,
                       const std::string& body = {}, const std::string& content_type = "application/json");
/// Same, with extra request headers ("Authorization", "X-Till-Override",
/// "Content-Type" — the latter defaults to application/json).
HttpReply http_call(int port, const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers);
inline HttpReply http_get(int port, const std::string& path) { return http_request(port, "GET", path); }

}  // namespace till::test
