#include "domain/common/http_errors.hpp"

#include <string>

namespace till::domain {

int http_status_for(std::string_view code) noexcept {
    using namespace error_code;
    if (code == invalid_argument) return 422;
    if (code == bad_request) return 400;
    if (code == not_found) return 404;
    if (code == conflict || code == invalid_state) return 409;
    if (code == unauthorized) return 401;
    if (code == forbidden || code == override_required) return 403;
    if (code == locked) return 423;
    if (code == payment_declined) return 402;
    if (code == unavailable) return 503;
    if (code == not_implemented) return 501;
    return 500;
}

namespace {
const char* title_for(int status) {
    switch (status) {
        case 400: return "bad request";
        case 401: return "unauthorized";
        case 402: return "payment declined";
        case 403: return "forbidden";
        case 404: return "not found";
        case 409: return "conflict";
        case 422: return "invalid input";
        case 423: return "locked";
        case 501: return "not implemented";
        case 503: return "unavailable";
        default: return "internal error";
    }
}
}  // namespace

sdk::HttpResponse to_problem(const sdk::Error& error) {
    const int status = http_status_for(error.code);
    std::string detail = error.message;
    std::string json_path;
    if (!detail.empty() && detail[0] == '$') {
        auto sep = detail.find(": ");
        if (sep != std::string::npos) json_path = detail.substr(0, sep);
    }
    sdk::HttpResponse r = sdk::HttpResponse::problem(status, title_for(status), detail, json_path);
    // Add the machine-readable code to the problem body.
    auto parsed = sdk::Value::parse_json(r.body);
    if (parsed && parsed->is_map()) {
        parsed->set("code", error.code.empty() ? std::string("internal") : error.code);
        r.body = parsed->to_json();
    }
    if (status == 401) r.headers["WWW-Authenticate"] = "Bearer";
    return r;
}

}  // namespace till::domain
