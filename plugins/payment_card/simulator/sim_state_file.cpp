// The simulator's state file: one JSON document, replaced atomically
// (write a temp file, fsync, rename, fsync the folder) after every outcome,
// before the answer is sent.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim_terminal.hpp"

namespace till::payment_card::sim {

using sdk::Value;

namespace {

sdk::Status io_error(const std::string& what) {
    return sdk::Status::failure("io_error", what + ": " + std::strerror(errno));
}

sdk::Status write_all(int fd, const std::string& text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io_error("write " + path);
        done += static_cast<std::size_t>(n);
    }
    return {};
}

}  // namespace

Value Terminal::state_value() const {
    Value v = Value::map();
    v.set("format", 1);
    v.set("batch", batch_);
    v.set("next_seq", next_seq_);
    v.set("currency", currency_);
    Value t = Value::map();
    t.set("sales_count", totals_.sales_count);
    t.set("sales_minor", totals_.sales_minor);
    t.set("tips_minor", totals_.tips_minor);
    t.set("refunds_count", totals_.refunds_count);
    t.set("refunds_minor", totals_.refunds_minor);
    t.set("voids_count", totals_.voids_count);
    t.set("voids_minor", totals_.voids_minor);
    v.set("totals", t);
    Value keys = Value::map();
    for (const auto& [key, txn] : by_key_) {
        Value k = Value::map();
        k.set("op", txn.op);
        k.set("fingerprint", txn.fingerprint);
        k.set("answer", txn.answer);
        keys.set(key, k);
    }
    v.set("keys", keys);
    Value sales = Value::map();
    for (const auto& [reference, s] : sales_) {
        Value x = Value::map();
        x.set("approved_minor", s.approved_minor);
        x.set("tip_minor", s.tip_minor);
        x.set("refunded_minor", s.refunded_minor);
        x.set("currency", s.currency);
        x.set("voided", s.voided);
        sales.set(reference, x);
    }
    v.set("sales", sales);
    return v;
}

sdk::Status Terminal::save() const {
    if (state_file_.empty()) return {};
    const std::string text = state_value().to_json();
    const std::string tmp = state_file_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("open " + tmp);
    auto written = write_all(fd, text, tmp);
    if (written.ok() && ::fsync(fd) != 0) written = io_error("fsync " + tmp);
    ::close(fd);
    if (!written.ok()) return written;
    if (::rename(tmp.c_str(), state_file_.c_str()) != 0) return io_error("rename " + tmp);
    const std::string dir = std::filesystem::path(state_file_).parent_path().string();
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

sdk::Status Terminal::load() {
    if (state_file_.empty() || !std::filesystem::exists(state_file_)) return {};
    std::ifstream in(state_file_, std::ios::binary);
    if (!in) return io_error("open " + state_file_);
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = Value::parse_json(text.str());
    if (!parsed) return sdk::Status::failure("invalid_state_file", state_file_ + ": " + parsed.error().message);
    const Value& v = *parsed;
    if (v["format"].as_int() != 1)
        return sdk::Status::failure("invalid_state_file", state_file_ + ": $.format: expected 1");
    std::lock_guard lock(mutex_);
    batch_ = v["batch"].as_int(1);
    next_seq_ = v["next_seq"].as_int(1);
    currency_ = v["currency"].as_string("");
    const Value& t = v["totals"];
    totals_.sales_count = t["sales_count"].as_int();
    totals_.sales_minor = t["sales_minor"].as_int();
    totals_.tips_minor = t["tips_minor"].as_int();
    totals_.refunds_count = t["refunds_count"].as_int();
    totals_.refunds_minor = t["refunds_minor"].as_int();
    totals_.voids_count = t["voids_count"].as_int();
    totals_.voids_minor = t["voids_minor"].as_int();
    for (const auto& [key, k] : v["keys"].as_map())
        by_key_[key] = Txn{k["op"].as_string(), k["fingerprint"].as_string(), k["answer"]};
    for (const auto& [reference, s] : v["sales"].as_map())
        sales_[reference] = Sale{s["approved_minor"].as_int(), s["tip_minor"].as_int(), s["refunded_minor"].as_int(),
                                 s["currency"].as_string(), s["voided"].as_bool()};
    return {};
}

}  // namespace till::payment_card::sim
