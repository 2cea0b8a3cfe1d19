#include "domain/people/pin_hash.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/PBKDF2Engine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>

#include <charconv>
#include <vector>

namespace till::domain::people {

namespace {

// Poco's SHA2Engine lacks the BLOCK_SIZE / DIGEST_SIZE constants that
// HMACEngine needs; this adds them for SHA-256.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

using Pbkdf2Sha256 = Poco::PBKDF2Engine<Poco::HMACEngine<Sha256Engine>>;

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::int64_t kMaxIterations = 100000000;

std::string derive(std::string_view pin, std::int64_t iterations, const std::string& salt) {
    Pbkdf2Sha256 kdf(salt, static_cast<unsigned>(iterations), 32);
    kdf.update(pin.data(), pin.size());
    const auto& d = kdf.digest();
    return std::string(d.begin(), d.end());
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto pos = text.find(sep, start);
        if (pos == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, pos - start));
        start = pos + 1;
    }
}

}  // namespace

bool is_valid_pin(std::string_view pin) noexcept {
    if (pin.size() < 4 || pin.size() > 12) return false;
    for (char c : pin)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string to_hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 0x0f];
    }
    return out;
}

bool from_hex(std::string_view hex, std::string& bytes_out) {
    bytes_out.clear();
    if (hex.size() % 2 != 0) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            bytes_out.clear();
            return false;
        }
        bytes_out += static_cast<char>((hi << 4) | lo);
    }
    return true;
}

std::string random_bytes(std::size_t count) {
    Poco::RandomInputStream in;
    std::string out(count, '\0');
    in.read(out.data(), static_cast<std::streamsize>(count));
    return out;
}

std::string random_digits(std::size_t digits) {
    std::string out;
    while (out.size() < digits) {
        // One byte per digit, rejecting 250..255 so every digit is equally likely.
        for (unsigned char c : random_bytes(digits)) {
            if (c >= 250) continue;
            out += static_cast<char>('0' + c % 10);
            if (out.size() == digits) break;
        }
    }
    return out;
}

std::string hash_pin_with_salt(std::string_view pin, std::int64_t iterations, const std::string& salt) {
    return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + to_hex(salt) + "$" +
           to_hex(derive(pin, iterations, salt));
}

std::string hash_pin(std::string_view pin, std::int64_t iterations) {
    return hash_pin_with_salt(pin, iterations, random_bytes(kSaltBytes));
}

bool verify_pin(std::string_view pin, std::string_view stored) {
    auto parts = split(stored, '$');
    if (parts.size() != 4 || parts[0] != kScheme) return false;
    std::int64_t iterations = 0;
    auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
    if (ec != std::errc() || end != parts[1].data() + parts[1].size() || iterations < 1 ||
        iterations > kMaxIterations)
        return false;
    std::string salt, expected;
    if (!from_hex(parts[2], salt) || salt.empty() || !from_hex(parts[3], expected) || expected.size() != 32)
        return false;
    return constant_time_equal(derive(pin, iterations, salt), expected);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    volatile unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    return diff == 0;
}

}  // namespace till::domain::people
