#include <catch2/catch.hpp>

#include <set>

#include "domain/people/pin_hash.hpp"

using namespace till::domain::people;

TEST_CASE("a PIN is 4 to 12 digits", "[people][pin]") {
    CHECK(is_valid_pin("1234"));
    CHECK(is_valid_pin("123456789012"));
    CHECK_FALSE(is_valid_pin("123"));
    CHECK_FALSE(is_valid_pin("1234567890123"));
    CHECK_FALSE(is_valid_pin("12a4"));
    CHECK_FALSE(is_valid_pin(" 1234"));
    CHECK_FALSE(is_valid_pin(""));
}

TEST_CASE("PBKDF2-HMAC-SHA256 gives the published test vectors", "[people][pin]") {
    // RFC 7914 section 11 (first 32 bytes) and the widely used "password"/"salt" vectors.
    CHECK(hash_pin_with_salt("passwd", 1, "salt") ==
          "pbkdf2-sha256$1$73616c74$55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    CHECK(hash_pin_with_salt("password", 2, "salt") ==
          "pbkdf2-sha256$2$73616c74$ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
    CHECK(hash_pin_with_salt("password", 4096, "salt") ==
          "pbkdf2-sha256$4096$73616c74$c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
}

TEST_CASE("a stored PIN hash verifies the right PIN only", "[people][pin]") {
    const std::string stored = hash_pin("4321", 1000);
    CHECK(stored.rfind("pbkdf2-sha256$1000$", 0) == 0);
    CHECK(verify_pin("4321", stored));
    CHECK_FALSE(verify_pin("4322", stored));
    CHECK_FALSE(verify_pin("43210", stored));
    CHECK_FALSE(verify_pin("", stored));
}

TEST_CASE("each hash has its own random salt", "[people][pin]") {
    std::set<std::string> hashes;
    for (int i = 0; i < 5; ++i) hashes.insert(hash_pin("1111", 1000));
    CHECK(hashes.size() == 5);
    for (const auto& h : hashes) CHECK(verify_pin("1111", h));
}

TEST_CASE("a malformed stored hash never matches", "[people][pin]") {
    const std::string good = hash_pin_with_salt("1234", 10, "0123456789abcdef");
    CHECK(verify_pin("1234", good));
    CHECK_FALSE(verify_pin("1234", ""));
    CHECK_FALSE(verify_pin("1234", "1234"));
    CHECK_FALSE(verify_pin("1234", "sha1$10$00$00"));
    std::string bad_iter = good;
    bad_iter.replace(bad_iter.find("$10$"), 4, "$x$");
    CHECK_FALSE(verify_pin("1234", bad_iter));
    CHECK_FALSE(verify_pin("1234", good.substr(0, good.size() - 2)));
    CHECK_FALSE(verify_pin("1234", good + "$extra"));
    std::string zero_iter = good;
    zero_iter.replace(zero_iter.find("$10$"), 4, "$0$");
    CHECK_FALSE(verify_pin("1234", zero_iter));
}

TEST_CASE("constant-time comparison and hex helpers", "[people][pin]") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    std::string bytes;
    CHECK(from_hex("00ff10", bytes));
    CHECK(bytes == std::string("\x00\xff\x10", 3));
    CHECK(to_hex(bytes) == "00ff10");
    CHECK_FALSE(from_hex("0g", bytes));
    CHECK_FALSE(from_hex("abc", bytes));
    const std::string pin = random_digits(6);
    CHECK(pin.size() == 6);
    CHECK(is_valid_pin(pin));
    CHECK(random_bytes(16).size() == 16);
    CHECK(random_bytes(16) != random_bytes(16));
}
