#include "bundle_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bundle_format.hpp"

namespace till::sync_file {

namespace fs = std::filesystem;

namespace {

sdk::Error io_error(const std::string& what, int err) { return {"io_error", what + ": " + std::strerror(err)}; }

bool write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

sdk::Status write_file_atomically(const std::string& path, const std::string& bytes) {
    const fs::path target(path);
    const fs::path dir = target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return sdk::Status::failure("not_found", "folder " + dir.string() + " not found");
    const fs::path temp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return io_error("cannot create " + temp.string(), errno);
    if (!write_all(fd, bytes) || ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return io_error("cannot write " + temp.string(), err);
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return io_error("cannot write " + temp.string(), err);
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        return io_error("cannot rename into " + target.string(), err);
    }
    fsync_dir(dir);
    return {};
}

sdk::Result<std::string> read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_error("cannot open " + path, errno);
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) return io_error("cannot read " + path, errno);
    return out.str();
}

sdk::Result<std::vector<std::string>> list_bundles(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return sdk::Error{"not_found", "folder " + dir + " not found"};
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file(ec) || name.empty() || name.front() == '.') continue;
        if (name.size() > std::strlen(kBundleExtension) &&
            name.compare(name.size() - std::strlen(kBundleExtension), std::string::npos, kBundleExtension) == 0)
            out.push_back(entry.path().string());
    }
    if (ec) return sdk::Error{"io_error", "cannot list " + dir + ": " + ec.message()};
    std::sort(out.begin(), out.end());
    return out;
}

sdk::Result<std::string> move_aside(const std::string& path, const std::string& sub, std::int64_t stamp_ms,
                                    const std::string& reason) {
    const fs::path source(path);
    const fs::path dir = source.parent_path() / sub;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return sdk::Error{"io_error", "cannot create " + dir.string() + ": " + ec.message()};
    const fs::path target = dir / (source.filename().string() + "." + std::to_string(stamp_ms));
    fs::rename(source, target, ec);
    if (ec) return sdk::Error{"io_error", "cannot move " + path + " to " + target.string() + ": " + ec.message()};
    fsync_dir(dir);
    if (!reason.empty()) {
        if (auto s = write_file_atomically(target.string() + ".reason", reason + "\n"); !s.ok()) return s.error();
    }
    return target.string();
}

}  // namespace till::sync_file
