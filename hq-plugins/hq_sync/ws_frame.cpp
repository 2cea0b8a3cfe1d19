#include "ws_frame.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>

#include <sstream>

namespace till::hq_sync::ws {

std::string encode_frame(int opcode, std::string_view payload) {
    std::string out;
    out.reserve(payload.size() + 10);
    out += static_cast<char>(0x80 | (opcode & 0x0F));
    const std::uint64_t n = payload.size();
    if (n < 126) {
        out += static_cast<char>(n);
    } else if (n <= 0xFFFF) {
        out += static_cast<char>(126);
        out += static_cast<char>((n >> 8) & 0xFF);
        out += static_cast<char>(n & 0xFF);
    } else {
        out += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
    }
    out.append(payload);
    return out;
}

std::string encode_close(std::uint16_t code, std::string_view reason) {
    std::string payload;
    payload += static_cast<char>((code >> 8) & 0xFF);
    payload += static_cast<char>(code & 0xFF);
    payload.append(reason.substr(0, 123));
    return encode_frame(close, payload);
}

DecodeStatus decode_frame(std::string_view buffer, std::size_t max_payload_bytes, Frame& out,
                          std::size_t& consumed, std::string& error, std::uint16_t& close_code) {
    if (buffer.size() < 2) return DecodeStatus::need_more;
    const auto b0 = static_cast<unsigned char>(buffer[0]);
    const auto b1 = static_cast<unsigned char>(buffer[1]);
    close_code = 1002;
    if (b0 & 0x70) {
        error = "reserved bits set (no extension was negotiated)";
        return DecodeStatus::error;
    }
    if (!(b1 & 0x80)) {
        error = "client frames must be masked";
        return DecodeStatus::error;
    }
    const int opcode = b0 & 0x0F;
    std::size_t pos = 2;
    std::uint64_t n = b1 & 0x7F;
    if (n == 126) {
        if (buffer.size() < 4) return DecodeStatus::need_more;
        n = (std::uint64_t(static_cast<unsigned char>(buffer[2])) << 8) |
            static_cast<unsigned char>(buffer[3]);
        pos = 4;
    } else if (n == 127) {
        if (buffer.size() < 10) return DecodeStatus::need_more;
        n = 0;
        for (int i = 0; i < 8; ++i) n = (n << 8) | static_cast<unsigned char>(buffer[2 + i]);
        pos = 10;
    }
    if (opcode >= 0x8 && (n > 125 || !(b0 & 0x80))) {
        error = "control frames must be unfragmented and at most 125 bytes";
        return DecodeStatus::error;
    }
    if (n > max_payload_bytes) {
        close_code = 1009;
        error = "frame of " + std::to_string(n) + " bytes exceeds the limit of " +
                std::to_string(max_payload_bytes);
        return DecodeStatus::error;
    }
    if (buffer.size() < pos + 4 + n) return DecodeStatus::need_more;
    const char* mask = buffer.data() + pos;
    pos += 4;
    out.fin = (b0 & 0x80) != 0;
    out.opcode = opcode;
    out.payload.assign(buffer.data() + pos, static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < out.payload.size(); ++i) out.payload[i] ^= mask[i % 4];
    consumed = pos + static_cast<std::size_t>(n);
    return DecodeStatus::frame;
}

std::string accept_key(std::string_view client_key) {
    Poco::SHA1Engine sha1;
    sha1.update(std::string(client_key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    const auto& digest = sha1.digest();
    std::ostringstream out;
    Poco::Base64Encoder b64(out);
    b64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    b64.close();
    return out.str();
}

}  // namespace till::hq_sync::ws
