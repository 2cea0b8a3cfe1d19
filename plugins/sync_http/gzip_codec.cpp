#include "gzip_codec.hpp"

#include <cstdint>
#include <sstream>

#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

namespace till::sync_http {

std::string gzip_compress(std::string_view data) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflater.write(data.data(), static_cast<std::streamsize>(data.size()));
    deflater.close();
    return out.str();
}

sdk::Result<std::string> gzip_decompress(std::string_view data, std::size_t max_bytes) {
    // A truncated stream can end without an error from zlib: make sure the
    // gzip trailer was reached by checking the input is a whole stream
    // (InflatingStreamBuf throws on a bad header or CRC, and reports EOF early
    // on truncation, which we detect through the ISIZE trailer below).
    if (data.size() < 18 || static_cast<unsigned char>(data[0]) != 0x1f || static_cast<unsigned char>(data[1]) != 0x8b)
        return sdk::Error{"invalid_data", "not a gzip stream"};
    std::string out;
    try {
        std::istringstream in{std::string(data)};
        Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
        char buffer[16384];
        while (inflater) {
            inflater.read(buffer, sizeof buffer);
            const auto n = static_cast<std::size_t>(inflater.gcount());
            if (out.size() + n > max_bytes)
                return sdk::Error{"too_large", "inflates to more than " + std::to_string(max_bytes) + " bytes"};
            out.append(buffer, n);
        }
    } catch (const Poco::Exception& e) {
        return sdk::Error{"invalid_data", "corrupt gzip stream: " + e.displayText()};
    } catch (const std::exception& e) {
        return sdk::Error{"invalid_data", std::string("corrupt gzip stream: ") + e.what()};
    }
    // ISIZE: the uncompressed length modulo 2^32, little-endian, last 4 bytes.
    const auto* tail = reinterpret_cast<const unsigned char*>(data.data() + data.size() - 4);
    const std::uint32_t isize = static_cast<std::uint32_t>(tail[0]) | (static_cast<std::uint32_t>(tail[1]) << 8) |
                                (static_cast<std::uint32_t>(tail[2]) << 16) | (static_cast<std::uint32_t>(tail[3]) << 24);
    if (isize != static_cast<std::uint32_t>(out.size()))
        return sdk::Error{"invalid_data", "truncated or corrupt gzip stream (length check failed)"};
    return out;
}

}  // namespace till::sync_http
