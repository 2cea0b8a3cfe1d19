#include "domain/people/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/people/pin_hash.hpp"

namespace till::domain::people {

std::optional<std::string> read_small_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

sdk::Status make_private_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return sdk::Status::failure("io_error", "cannot create " + dir + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
    return sdk::Status::success();
}

sdk::Status create_private_file(const std::string& path, const std::string& content) {
    // Write a private temp file, then link() it into place: link never
    // replaces an existing file, and readers never see a partial one.
    const std::string temp = path + ".tmp-" + to_hex(random_bytes(6));
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return sdk::Status::failure("io_error", "cannot create " + temp + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(temp.c_str());
            return sdk::Status::failure("io_error", "cannot write " + temp + ": " + why);
        }
        done += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    const int linked = ::link(temp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0) {
        if (link_errno == EEXIST) return sdk::Status::failure("conflict", path + " already exists");
        return sdk::Status::failure("io_error", "cannot create " + path + ": " + std::strerror(link_errno));
    }
    return sdk::Status::success();
}

}  // namespace till::domain::people
