// Reading a request body as a JSON object, for route handlers.
#pragma once

#include <optional>

#include "till/sdk/http.hpp"
#include "till/sdk/value.hpp"

namespace till::api {

/// Either the parsed object (value set) or a ready problem+json answer.
struct JsonBody {
    std::optional<sdk::Value> value;
    sdk::HttpResponse problem;  ///< meaningful only when !ok()
    bool ok() const noexcept { return value.has_value(); }
};

/// Parses request.body as a JSON object.
/// - 415 when a Content-Type is given and is not application/json (or +json);
/// - 400 when the body is empty, is not JSON (detail names line and column),
///   or is JSON but not an object (json_path "$").
JsonBody parse_json_object_body(const sdk::HttpRequest& request);

}  // namespace till::api
