// Polls a deployment's scripts on its own thread and reports each new
// version (a change of any file's content, or a file added or removed).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "script/deployment_files.hpp"

namespace till::script {

class RuleWatcher {
public:
    /// Called on the watcher thread with each new snapshot, or with the
    /// error when the folder cannot be read (once per distinct error).
    using OnChange = std::function<void(sdk::Result<DeploymentSnapshot>)>;

    RuleWatcher(std::string deployment_dir, std::int64_t interval_ms, OnChange on_change);
    ~RuleWatcher();  ///< stops
    RuleWatcher(const RuleWatcher&) = delete;
    RuleWatcher& operator=(const RuleWatcher&) = delete;

    /// Starts polling; `known_hash` is the version already running (no
    /// report until the content differs from it).
    void start(std::uint64_t known_hash);
    /// Stops and joins the thread; returns within about one poll.
    void stop();

private:
    void run();

    std::string dir_;
    std::int64_t interval_ms_;
    OnChange on_change_;
    std::uint64_t last_hash_ = 0;
    std::string last_error_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace till::script
