#include "domain/common/ids.hpp"

#include <mutex>
#include <random>

namespace till::domain {

struct IdGenerator::Impl {
    const sdk::Clock& clock;
    std::mutex mutex;
    std::mt19937_64 random;
    std::int64_t last_ms = 0;
    std::uint16_t counter = 0;  // 12 bits (rand_a), restarted at a random value each millisecond
    explicit Impl(const sdk::Clock& c) : clock(c), random(std::random_device{}()) {}
};

IdGenerator::IdGenerator(const sdk::Clock& clock) : impl_(std::make_unique<Impl>(clock)) {}
IdGenerator::~IdGenerator() = default;

std::string IdGenerator::next() {
    std::uint64_t ms = 0;
    std::uint16_t seq = 0;
    std::uint64_t tail = 0;
    {
        std::lock_guard lock(impl_->mutex);
        std::int64_t now = impl_->clock.now_utc_ms();
        if (now < 0) now = 0;
        // A clock that steps back keeps ids ordered: stay on the last millisecond.
        if (now <= impl_->last_ms) {
            if (++impl_->counter > 0xFFF) {  // counter exhausted: borrow the next millisecond
                ++impl_->last_ms;
                impl_->counter = static_cast<std::uint16_t>(impl_->random() & 0x3FF);
            }
        } else {
            impl_->last_ms = now;
            impl_->counter = static_cast<std::uint16_t>(impl_->random() & 0x3FF);
        }
        ms = static_cast<std::uint64_t>(impl_->last_ms);
        seq = impl_->counter;
        tail = impl_->random();
    }
    unsigned char b[16];
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    b[6] = static_cast<unsigned char>(0x70 | ((seq >> 8) & 0x0F));
    b[7] = static_cast<unsigned char>(seq & 0xFF);
    for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(tail >> (8 * i));
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(hex[b[i] >> 4]);
        out.push_back(hex[b[i] & 0x0F]);
    }
    return out;
}

bool is_uuid_text(const std::string& text) noexcept {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace till::domain
