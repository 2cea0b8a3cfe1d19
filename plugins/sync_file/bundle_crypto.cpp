#include "bundle_crypto.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace till::sync_file {

namespace {

// Poco 1.11's SHA2Engine lacks the BLOCK_SIZE / DIGEST_SIZE constants
// HMACEngine needs (1.12 added SHA2Engine256); give them for SHA-256.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

std::string sha256_hex(std::string_view data) {
    Sha256Engine engine;
    engine.update(data.data(), data.size());
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    Poco::HMACEngine<Sha256Engine> hmac(key.data(), key.size());
    hmac.update(data.data(), data.size());
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace till::sync_file
