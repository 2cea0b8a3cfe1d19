// Small path helpers shared by the router and the server.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace till::api {

/// Splits an absolute path after its leading '/' on '/': "/a/b" -> {"a","b"},
/// "/a/" -> {"a",""}, "/" -> {""}. Segments stay percent-encoded.
std::vector<std::string> split_path(std::string_view path);

/// Decodes %XX escapes; a malformed escape is kept as it is. '+' is kept.
std::string percent_decode(std::string_view text);

}  // namespace till::api
