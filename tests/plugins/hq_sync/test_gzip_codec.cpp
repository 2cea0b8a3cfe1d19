// gzip of sync bodies: round trip, and every way a body can be bad.
#include <catch2/catch.hpp>

#include "gzip_codec.hpp"

using till::hq_sync::gunzip;
using till::hq_sync::GunzipStatus;
using till::hq_sync::gzip;

TEST_CASE("gzip then gunzip gives the bytes back") {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += "{\"event\":" + std::to_string(i) + "}";
    auto packed = gzip(text);
    CHECK(packed.size() < text.size());
    auto r = gunzip(packed, text.size());
    REQUIRE(r.status == GunzipStatus::ok);
    CHECK(r.data == text);
}

TEST_CASE("a truncated gzip stream is corrupt, whatever its length") {
    const auto packed = gzip(std::string(100000, 'x') + "end");
    for (std::size_t cut : {std::size_t(1), std::size_t(10), packed.size() / 2, packed.size() - 1}) {
        auto r = gunzip(packed.substr(0, cut), 1 << 20);
        INFO("cut at " << cut);
        CHECK(r.status == GunzipStatus::corrupt);
        CHECK(r.message.find("gzip") != std::string::npos);
        CHECK(r.data.empty());
    }
}

TEST_CASE("bytes that are not gzip, a flipped byte and trailing garbage are corrupt") {
    CHECK(gunzip("{\"schema\":1}", 1024).status == GunzipStatus::corrupt);
    auto packed = gzip("hello sync");
    auto flipped = packed;
    flipped[flipped.size() - 6] ^= 0x55;  // inside the CRC / data
    CHECK(gunzip(flipped, 1024).status == GunzipStatus::corrupt);
    auto r = gunzip(packed + "junk", 1024);
    CHECK(r.status == GunzipStatus::corrupt);
    CHECK(r.message.find("after the end") != std::string::npos);
}

TEST_CASE("a body expanding beyond the limit stops at the limit") {
    const auto bomb = gzip(std::string(10 * 1024 * 1024, '\0'));  // ~10 KiB that expands to 10 MiB
    auto r = gunzip(bomb, 1024 * 1024);
    CHECK(r.status == GunzipStatus::too_large);
    CHECK(r.data.empty());
    CHECK(gunzip(bomb, 10 * 1024 * 1024).status == GunzipStatus::ok);
}
