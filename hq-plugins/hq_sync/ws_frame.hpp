// WebSocket (RFC 6455) framing for the server side of /sync/v1/notify (the same
// codec as the kernel's event stream; a plugin cannot link the kernel). The notifier
// does its own non-blocking framing so one thread serves every store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace till::hq_sync::ws {

enum Opcode : int { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

/// One unmasked frame with FIN set (what a server sends).
std::string encode_frame(int opcode, std::string_view payload);
/// A close frame carrying `code` and a UTF-8 `reason` (cut to fit 123 bytes).
std::string encode_close(std::uint16_t code, std::string_view reason);

struct Frame {
    bool fin = true;
    int opcode = 0;
    std::string payload;  ///< unmasked
};

enum class DecodeStatus { frame, need_more, error };

/// Decodes the first frame in `buffer` (a client frame: must be masked).
/// On `frame`, `consumed` is its length in bytes. On `error`, `error` names
/// the problem and `close_code` is 1002 (protocol) or 1009 (too big).
DecodeStatus decode_frame(std::string_view buffer, std::size_t max_payload_bytes, Frame& out,
                          std::size_t& consumed, std::string& error, std::uint16_t& close_code);

/// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 §4.2.2).
std::string accept_key(std::string_view client_key);

}  // namespace till::hq_sync::ws
