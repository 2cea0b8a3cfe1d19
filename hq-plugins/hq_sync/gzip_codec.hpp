// gzip for sync bodies: bounded gunzip of a push body, gzip of a pull answer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace till::hq_sync {

enum class GunzipStatus { ok, corrupt, too_large };

struct GunzipResult {
    GunzipStatus status = GunzipStatus::corrupt;
    std::string data;     ///< the decompressed bytes when ok
    std::string message;  ///< why, when not ok
};

/// Decompresses one complete gzip member. `corrupt` for bad headers, bad
/// data, a bad checksum, a truncated stream or bytes after its end;
/// `too_large` as soon as the output would exceed `max_output_bytes`
/// (decompression stops there, so a gzip bomb costs at most that much).
GunzipResult gunzip(std::string_view compressed, std::size_t max_output_bytes);

/// Compresses `data` as one gzip member.
std::string gzip(std::string_view data);

}  // namespace till::hq_sync
