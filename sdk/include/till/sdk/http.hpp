// Till SDK — HTTP routes a plugin adds to the node's API server.
//
// Routes are registered in Plugin::on_register with Registrar::add_route.
// Paths are absolute ("/api/v1/printers/{device_id}/test"); `{name}` matches
// one path segment and appears in HttpRequest::path_params. A path already
// taken by the kernel or another plugin is refused.
//
// Handlers run on the server's worker threads, several at once: guard shared
// state. A handler that throws answers 500 and is logged with the plugin id;
// report a client's mistake with HttpResponse::problem(4xx, ...) instead.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "till/sdk/value.hpp"

namespace till::sdk {

enum class HttpMethod { get, post, put, patch, del };

struct HttpRequest {
    HttpMethod method = HttpMethod::get;
    std::string path;                                ///< without the query string
    std::map<std::string, std::string> path_params;  ///< from {name} segments
    std::map<std::string, std::string> query;        ///< decoded query parameters
    std::map<std::string, std::string> headers;      ///< names in lower case
    std::string body;                                ///< raw body (size capped by the node)
    std::string subject;  ///< authenticated user or token id; empty when anonymous
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::map<std::string, std::string> headers;

    /// 200 (or `status`) with a JSON body.
    static HttpResponse json(const Value& body, int status = 200);
    /// An RFC 9457 application/problem+json answer. `json_path` (e.g.
    /// "$.lines[2].qty_milli") names the offending field when there is one.
    static HttpResponse problem(int status, std::string title, std::string detail,
                                std::string json_path = {});
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace till::sdk
