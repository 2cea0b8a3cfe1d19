#include "bundle_format.hpp"

#include "bundle_crypto.hpp"
#include "gzip_codec.hpp"

namespace till::sync_file {

namespace {

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

sdk::Error invalid(std::string what) { return {"invalid_bundle", std::move(what)}; }

}  // namespace

std::string encode_bundle(sdk::Value header, const sdk::Value& body, std::string_view key) {
    const std::string gz = gzip_compress(body.to_json());
    header.set("format", kBundleFormat);
    header.set("version", kBundleVersion);
    header.set("body_bytes", static_cast<long long>(gz.size()));
    header.set("hmac_sha256", hmac_sha256_hex(key, gz));
    std::string out = header.to_json();
    out += '\n';
    out += gz;
    return out;
}

sdk::Result<BundleHeader> read_header(std::string_view file_bytes) {
    const auto newline = file_bytes.find('\n');
    if (newline == std::string_view::npos || newline > kMaxHeaderBytes)
        return invalid("no header line (not a till-sync-bundle, or truncated)");
    auto parsed = sdk::Value::parse_json(file_bytes.substr(0, newline));
    if (!parsed) return invalid("header: " + parsed.error().message);
    const sdk::Value& h = *parsed;
    if (!h.is_map()) return invalid("header: expected a JSON object");
    if (h["format"].as_string() != kBundleFormat) return invalid("header.format: expected \"till-sync-bundle\"");
    if (h["version"].as_int(-1) != kBundleVersion)
        return invalid("header.version: expected 1, got " + h["version"].to_json() +
                       " (written by a newer Till? upgrade this node)");
    BundleHeader header;
    header.kind = h["kind"].as_string();
    if (header.kind != "events" && header.kind != "master")
        return invalid("header.kind: expected \"events\" or \"master\", got " + h["kind"].to_json());
    header.node_id = h["node_id"].as_string();
    header.store_id = h["store_id"].as_string();
    if (header.store_id.empty()) return invalid("header.store_id: expected a non-empty string");
    header.created_utc_ms = h["created_utc_ms"].as_int(0);
    if (!h["body_bytes"].is_int() || h["body_bytes"].as_int() < 0)
        return invalid("header.body_bytes: expected an integer >= 0");
    header.body_bytes = h["body_bytes"].as_int();
    header.hmac_sha256 = h["hmac_sha256"].as_string();
    if (header.hmac_sha256.size() != 64) return invalid("header.hmac_sha256: expected 64 hex characters");
    header.fields = h;
    return header;
}

sdk::Result<sdk::Value> open_body(std::string_view file_bytes, const BundleHeader& header, std::string_view key,
                                  std::size_t max_body_bytes) {
    const auto newline = file_bytes.find('\n');
    if (newline == std::string_view::npos) return invalid("no header line");
    const std::string_view body = file_bytes.substr(newline + 1);
    if (static_cast<std::int64_t>(body.size()) != header.body_bytes)
        return invalid("body is " + std::to_string(body.size()) + " bytes, header says " +
                       std::to_string(header.body_bytes) + " (truncated or appended to)");
    if (!constant_time_equal(hmac_sha256_hex(key, body), header.hmac_sha256))
        return sdk::Error{"bad_signature",
                          "signature does not match (the bundle was altered, or signed with another store's token)"};
    auto plain = gzip_decompress(body, max_body_bytes);
    if (!plain) return invalid("body: " + plain.error().message);
    auto parsed = sdk::Value::parse_json(*plain);
    if (!parsed) return invalid("body: " + parsed.error().message);
    if (!parsed->is_map()) return invalid("body: expected a JSON object");
    return std::move(*parsed);
}

}  // namespace till::sync_file
