#include "receipt_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace till::printer_file {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int error) { return std::strerror(error); }

std::string create_parent(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    if (parent.empty()) return {};
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) return "cannot create folder " + parent.string() + ": " + ec.message();
    return {};
}

}  // namespace

ReceiptFile::~ReceiptFile() { close(); }

std::string ReceiptFile::open(const std::string& path) {
    close();
    if (auto error = create_parent(path); !error.empty()) return error;
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot open " + path + " for appending: " + errno_text(errno);
    fd_ = fd;
    path_ = path;
    return {};
}

ReceiptFile::LockResult ReceiptFile::try_lock(std::string& error) {
    if (fd_ < 0) {
        error = "file not open";
        return LockResult::error;
    }
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno == EWOULDBLOCK) return LockResult::held_elsewhere;
        error = "cannot lock " + path_ + ": " + errno_text(errno);
        return LockResult::error;
    }
    return LockResult::locked;
}

void ReceiptFile::unlock() noexcept {
    if (fd_ >= 0) ::flock(fd_, LOCK_UN);
}

std::string ReceiptFile::append_durably(std::string_view text) {
    if (fd_ < 0) return "file not open";
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            return "cannot write " + path_ + ": " + errno_text(errno);
        }
        written += static_cast<std::size_t>(n);
    }
    while (::fsync(fd_) != 0) {
        if (errno == EINTR) continue;
        return "cannot fsync " + path_ + ": " + errno_text(errno);
    }
    return {};
}

void ReceiptFile::close() noexcept {
    if (fd_ >= 0) ::close(fd_);  // also drops the flock
    fd_ = -1;
}

bool ReceiptFile::check_writable(const std::string& path, std::string& detail) {
    std::error_code ec;
    if (fs::exists(path, ec)) {
        if (fs::is_directory(path, ec)) {
            detail = path + " is a folder, not a file";
            return false;
        }
        if (::access(path.c_str(), W_OK) != 0) {
            detail = path + " is not writable: " + errno_text(errno);
            return false;
        }
        detail = path + " is writable";
        return true;
    }
    // The file does not exist yet: its nearest existing ancestor must let us
    // create folders and the file.
    fs::path ancestor = fs::path(path).parent_path();
    while (!ancestor.empty() && !fs::exists(ancestor, ec)) ancestor = ancestor.parent_path();
    if (ancestor.empty()) ancestor = ".";
    if (!fs::is_directory(ancestor, ec)) {
        detail = ancestor.string() + " is not a folder";
        return false;
    }
    if (::access(ancestor.c_str(), W_OK | X_OK) != 0) {
        detail = "cannot create " + path + ": " + ancestor.string() + " is not writable: " + errno_text(errno);
        return false;
    }
    detail = path + " does not exist yet and can be created";
    return true;
}

}  // namespace till::printer_file
