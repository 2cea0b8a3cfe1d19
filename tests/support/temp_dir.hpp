// A directory under $TMPDIR (or /tmp) removed with its content when the object
// goes away. Set TILL_KEEP_TEST_DIRS=1 to keep them for a post-mortem.
#pragma once

#include <string>

namespace till::test {

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "till-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const noexcept { return path_; }
    /// path() + "/" + name
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    /// Writes `content` to path()/name (creating parent folders); returns the path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read,
/// close). Prefer binding to port 0 directly where the server allows it.
int free_loopback_port();

/// Reads a whole file; "" when missing.
std::string read_file(const std::string& path);

}  // namespace till::test
