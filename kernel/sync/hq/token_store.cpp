#include "sync/hq/token_store.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <array>
#include <fstream>

namespace till::sync::hq {

namespace {

constexpr std::size_t kTokenBytes = 32;

sdk::Result<std::string> random_hex(std::size_t bytes) {
    std::ifstream in("/dev/urandom", std::ios::binary);
    std::string raw(bytes, '\0');
    if (!in || !in.read(raw.data(), static_cast<std::streamsize>(bytes)))
        return sdk::Error{"io_error", "cannot read /dev/urandom to make a token"};
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes * 2);
    for (unsigned char c : raw) {
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 0x0f]);
    }
    return hex;
}

}  // namespace

std::string sha256_hex(std::string_view text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text.data(), static_cast<unsigned>(text.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

bool is_valid_store_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

TokenStore::TokenStore(sdk::Storage& storage, const sdk::Clock& clock) : storage_(storage), clock_(clock) {}

sdk::Result<std::string> TokenStore::issue(const std::string& store_id) {
    if (!is_valid_store_id(store_id))
        return sdk::Error{"invalid_argument", "store id \"" + store_id +
                                                  "\" is not valid: use 1 to 64 letters, digits, '-', '_' or '.'"};
    auto token = random_hex(kTokenBytes);
    if (!token) return token;
    const std::int64_t now = clock_.now_utc_ms();
    auto done = storage_.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto added = tx.execute("INSERT INTO sync_hq_tokens (token_sha256, store_id, issued_utc_ms) VALUES (?, ?, ?)",
                                {sha256_hex(*token), store_id, now});
        if (!added) return added.status();
        auto registered = tx.execute(
            "INSERT INTO sync_hq_stores (store_id, registered_utc_ms) VALUES (?, ?) ON CONFLICT (store_id) DO NOTHING",
            {store_id, now});
        return registered.status();
    });
    if (!done.ok()) return done.error();
    return token;
}

sdk::Result<std::int64_t> TokenStore::revoke(const std::string& store_id) {
    return storage_.execute("UPDATE sync_hq_tokens SET revoked_utc_ms = ? WHERE store_id = ? AND revoked_utc_ms IS NULL",
                            {clock_.now_utc_ms(), store_id});
}

sdk::Result<std::string> TokenStore::authenticate(std::string_view token) {
    if (token.empty()) return sdk::Error{"unauthorized", "no sync token given"};
    auto rows = storage_.query(
        "SELECT store_id FROM sync_hq_tokens WHERE token_sha256 = ? AND revoked_utc_ms IS NULL", {sha256_hex(token)});
    if (!rows) return rows.error();
    if (rows->rows.empty())
        return sdk::Error{"unauthorized", "sync token unknown or revoked (tillctl hq token issue STORE makes a new one)"};
    return rows->rows[0].at(0).as_string();
}

sdk::Result<std::string> TokenStore::bundle_key(const std::string& store_id) {
    auto rows = storage_.query(
        "SELECT token_sha256 FROM sync_hq_tokens WHERE store_id = ? AND revoked_utc_ms IS NULL "
        "ORDER BY issued_utc_ms DESC, token_sha256 LIMIT 1",
        {store_id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return sdk::Error{"unauthorized", "store " + store_id + " has no live sync token"};
    return rows->rows[0].at(0).as_string();
}

sdk::Result<std::vector<TokenInfo>> TokenStore::list() {
    auto rows = storage_.query(
        "SELECT token_sha256, store_id, issued_utc_ms, revoked_utc_ms FROM sync_hq_tokens "
        "ORDER BY store_id, issued_utc_ms, token_sha256");
    if (!rows) return rows.error();
    std::vector<TokenInfo> out;
    for (const auto& r : rows->rows) {
        TokenInfo t{r.at(0).as_string(), r.at(1).as_string(), r.at(2).as_int(), std::nullopt};
        if (r.at(3).is_int()) t.revoked_utc_ms = r.at(3).as_int();
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace till::sync::hq
