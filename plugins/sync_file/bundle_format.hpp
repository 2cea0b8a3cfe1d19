// sync_file: the bundle file format (version 1, see README.md).
//
//   <header: one line of compact JSON>\n<body: body_bytes bytes of gzip>
//
// The header says what the bundle is and carries hmac_sha256, the lowercase
// hex HMAC-SHA256 of the body bytes keyed with the store's bundle key. The
// signed body repeats whatever a reader acts on (node_id, revisions, acks);
// the other header fields only describe the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

namespace till::sync_file {

constexpr const char* kBundleFormat = "till-sync-bundle";
constexpr std::int64_t kBundleVersion = 1;
constexpr const char* kBundleExtension = ".till-bundle";

struct BundleHeader {
    std::string kind;      ///< "events" or "master"
    std::string node_id;   ///< the node that wrote it
    std::string store_id;  ///< the store it is from (events) or for (master)
    std::int64_t created_utc_ms = 0;
    std::int64_t body_bytes = 0;
    std::string hmac_sha256;
    sdk::Value fields;     ///< the whole header object, extra fields included
};

/// Builds a bundle. `header` holds kind, node_id, store_id, created_utc_ms
/// and any descriptive extras; format, version, body_bytes and hmac_sha256
/// are filled in here. `body` is serialised as compact JSON and gzipped.
std::string encode_bundle(sdk::Value header, const sdk::Value& body, std::string_view key);

/// Parses the header line. Error "invalid_bundle" naming what is wrong.
sdk::Result<BundleHeader> read_header(std::string_view file_bytes);

/// Checks length and signature, then inflates and parses the body. Errors:
/// "invalid_bundle" (truncated, bad gzip, bad JSON, too large),
/// "bad_signature" (the HMAC does not match: tampered, or signed with
/// another store's key).
sdk::Result<sdk::Value> open_body(std::string_view file_bytes, const BundleHeader& header, std::string_view key,
                                  std::size_t max_body_bytes);

}  // namespace till::sync_file
