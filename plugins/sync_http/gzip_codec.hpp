// gzip (RFC 1952) compression of request and answer bodies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <till/sdk/status.hpp>

namespace till::sync_http {

std::string gzip_compress(std::string_view data);

/// Error "invalid_data" when `data` is not a complete gzip stream, or
/// "too_large" when it inflates to more than `max_bytes`.
sdk::Result<std::string> gzip_decompress(std::string_view data, std::size_t max_bytes);

}  // namespace till::sync_http
