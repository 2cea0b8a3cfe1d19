#include "gzip_codec.hpp"

#include <zlib.h>

#include <stdexcept>

namespace till::hq_sync {

GunzipResult gunzip(std::string_view compressed, std::size_t max_output_bytes) {
    GunzipResult r;
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {  // 16: gzip wrapper only
        r.message = "gzip: cannot initialise the decoder";
        return r;
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    char buf[65536];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = sizeof buf - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END) {
            if (rc == Z_BUF_ERROR && zs.avail_in == 0)
                r.message = "gzip body is truncated (the stream ends before its trailer)";
            else
                r.message = std::string("gzip body is corrupt: ") + (zs.msg ? zs.msg : "invalid data");
            inflateEnd(&zs);
            r.data.clear();
            return r;
        }
        if (r.data.size() + produced > max_output_bytes) {
            inflateEnd(&zs);
            r.status = GunzipStatus::too_large;
            r.message = "gzip body expands beyond the limit of " + std::to_string(max_output_bytes) + " bytes";
            r.data.clear();
            return r;
        }
        r.data.append(buf, produced);
        if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
            inflateEnd(&zs);
            r.message = "gzip body is truncated (the stream ends before its trailer)";
            r.data.clear();
            return r;
        }
    }
    const bool trailing = zs.avail_in != 0;
    inflateEnd(&zs);
    if (trailing) {
        r.message = "gzip body has bytes after the end of its stream";
        r.data.clear();
        return r;
    }
    r.status = GunzipStatus::ok;
    return r;
}

std::string gzip(std::string_view data) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("gzip: deflateInit2 failed");
    std::string out;
    out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const std::size_t written = out.size() - zs.avail_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
    out.resize(written);
    return out;
}

}  // namespace till::hq_sync
