// printer_file: the output file. Appends with flush + fsync so a job that was
// reported printed survives a power cut, and takes an exclusive advisory lock
// (flock) for the claim, so two devices (or two nodes) never interleave jobs
// in one file.
#pragma once

#include <string>
#include <string_view>

namespace till::printer_file {

class ReceiptFile {
public:
    enum class LockResult { locked, held_elsewhere, error };

    ReceiptFile() = default;
    ~ReceiptFile();  ///< closes (and so unlocks)
    ReceiptFile(const ReceiptFile&) = delete;
    ReceiptFile& operator=(const ReceiptFile&) = delete;

    /// Opens `path` for appending, creating it and its parent folders.
    /// Returns "" or an error naming the path.
    std::string open(const std::string& path);
    bool is_open() const noexcept { return fd_ >= 0; }
    /// Non-blocking exclusive lock. `error` is set for LockResult::error.
    LockResult try_lock(std::string& error);
    void unlock() noexcept;
    /// Writes all of `text` and fsyncs. Returns "" or an error.
    std::string append_durably(std::string_view text);
    void close() noexcept;

    /// Whether `path` can be appended to (existing file writable, or its
    /// folder creatable and writable). Fills `detail` either way.
    static bool check_writable(const std::string& path, std::string& detail);

private:
    int fd_ = -1;
    std::string path_;
};

}  // namespace till::printer_file
