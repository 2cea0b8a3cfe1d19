// The bundle format: digests against known vectors and the openssl CLI,
// signing, and every kind of damage refused with its reason.
#include <catch2/catch.hpp>

#include <cstdio>

#include "bundle_crypto.hpp"
#include "bundle_files.hpp"
#include "bundle_format.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using namespace till::sync_file;

namespace {

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
    return out;
}

sdk::Value header(const std::string& kind) {
    sdk::Value h = sdk::Value::map();
    h.set("kind", kind);
    h.set("node_id", "store-001");
    h.set("store_id", "store-001");
    h.set("created_utc_ms", 1768471200000LL);
    return h;
}

}  // namespace

TEST_CASE("SHA-256 and HMAC-SHA256 match the standard vectors") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2.
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "ab"));
}

TEST_CASE("a bundle's signature is what `openssl dgst -sha256 -hmac KEY` gives for its body") {
    test::TempDir dir("till-bundle");
    const std::string key = sha256_hex("store-token");
    sdk::Value body = sdk::Value::map();
    body.set("schema", 1);
    body.set("events", sdk::Value::list());
    const std::string bundle = encode_bundle(header("events"), body, key);
    auto h = read_header(bundle);
    REQUIRE(h.ok());
    const std::string body_path = dir.write("body.gz", bundle.substr(bundle.find('\n') + 1));
    const std::string out = run("openssl dgst -sha256 -hmac '" + key + "' -r '" + body_path + "'");
    REQUIRE(out.size() >= 64);
    CHECK(out.substr(0, 64) == h->hmac_sha256);
    // And the body is plain gzip of the JSON.
    CHECK(run("gzip -dc '" + body_path + "'") == body.to_json());
}

TEST_CASE("bundles open with the right key and refuse tampering, truncation and other keys") {
    const std::string key = sha256_hex("store-token");
    sdk::Value body = sdk::Value::map();
    body.set("schema", 1);
    body.set("note", "hello");
    const std::string bundle = encode_bundle(header("master"), body, key);
    auto h = read_header(bundle);
    REQUIRE(h.ok());
    CHECK(h->kind == "master");
    CHECK(h->store_id == "store-001");
    auto opened = open_body(bundle, *h, key, 1 << 20);
    REQUIRE(opened.ok());
    CHECK((*opened)["note"].as_string() == "hello");

    std::string tampered = bundle;
    tampered[tampered.size() - 10] ^= 0x01;
    auto bad = open_body(tampered, *h, key, 1 << 20);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "bad_signature");

    auto other = open_body(bundle, *h, sha256_hex("another-token"), 1 << 20);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == "bad_signature");

    auto truncated = open_body(bundle.substr(0, bundle.size() - 3), *h, key, 1 << 20);
    REQUIRE_FALSE(truncated.ok());
    CHECK(truncated.error().code == "invalid_bundle");
    CHECK(truncated.error().message.find("truncated") != std::string::npos);

    CHECK(read_header("no newline at all").error().code == "invalid_bundle");
    CHECK(read_header("{\"format\":\"till-sync-bundle\",\"version\":2}\n").error().message.find("version") !=
          std::string::npos);
}

TEST_CASE("atomic writes replace a file whole and leave no temp file") {
    test::TempDir dir("till-bundle");
    const std::string path = dir.file("a.till-bundle");
    REQUIRE(write_file_atomically(path, "one").ok());
    REQUIRE(write_file_atomically(path, "two").ok());
    CHECK(test::read_file(path) == "two");
    auto listed = list_bundles(dir.path());
    REQUIRE(listed.ok());
    CHECK(listed->size() == 1);
    CHECK(write_file_atomically(dir.file("missing/x.till-bundle"), "x").error().code == "not_found");
    auto moved = move_aside(path, "rejected", 42, "bad signature");
    REQUIRE(moved.ok());
    CHECK(test::read_file(dir.file("rejected/a.till-bundle.42.reason")) == "bad signature\n");
    CHECK(test::read_file(dir.file("rejected/a.till-bundle.42")) == "two");
}
