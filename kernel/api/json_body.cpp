#include "api/json_body.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace till::api {

namespace {

bool is_json_media_type(std::string type) {
    auto semi = type.find(';');
    if (semi != std::string::npos) type.resize(semi);
    while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) type.pop_back();
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (type == "application/json") return true;
    return type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0 &&
           type.rfind("application/", 0) == 0;
}

JsonBody failed(sdk::HttpResponse problem) {
    JsonBody out;
    out.problem = std::move(problem);
    return out;
}

}  // namespace

JsonBody parse_json_object_body(const sdk::HttpRequest& request) {
    auto ct = request.headers.find("content-type");
    if (ct != request.headers.end() && !ct->second.empty() && !is_json_media_type(ct->second))
        return failed(sdk::HttpResponse::problem(415, "unsupported media type",
                                                 "expected Content-Type application/json, got '" +
                                                     ct->second + "'"));
    if (request.body.empty())
        return failed(sdk::HttpResponse::problem(400, "invalid request body",
                                                 "the body is empty; expected a JSON object",
                                                 "$"));
    auto parsed = sdk::Value::parse_json(request.body);
    if (!parsed)
        return failed(sdk::HttpResponse::problem(400, "invalid JSON",
                                                 "request body: " + parsed.error().message));
    if (!parsed->is_map())
        return failed(sdk::HttpResponse::problem(
            400, "invalid request body",
            std::string("expected a JSON object, got ") + sdk::Value::type_name(parsed->type()),
            "$"));
    JsonBody out;
    out.value = std::move(parsed).value();
    return out;
}

}  // namespace till::api
