// YAML → ConfigNode through yaml-cpp's event parser rather than YAML::Node:
// events carry a Mark for every key and value, and building the tree
// ourselves lets us refuse duplicate keys (YAML::Load keeps them silently).
#include "config/config_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "config/yaml_reader.hpp"

namespace till::config {

const ConfigNode* ConfigNode::get(std::string_view key) const noexcept {
    if (kind != Kind::map) return nullptr;
    for (const auto& [name, value] : members) {
        if (name == key) return &value;
    }
    return nullptr;
}

namespace detail {
namespace {

Mark to_mark(const YAML::Mark& m) {
    if (m.is_null()) return {};
    return Mark{m.line + 1, m.column + 1};
}

/// Thrown from the handler; caught in read_yaml (never leaves this file).
struct BuildError {
    YamlError error;
};

bool is_plain_null(const std::string& tag, const std::string& value) {
    // yaml-cpp gives plain scalars the tag "?"; quoted ones "!".
    if (tag != "?") return false;
    return value == "~" || value == "null" || value == "Null" || value == "NULL";
}

class TreeBuilder final : public YAML::EventHandler {
public:
    bool has_root() const { return done_; }
    ConfigNode take_root() { return std::move(root_); }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        ConfigNode n;
        n.mark = to_mark(mark);
        complete(std::move(n), anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) throw BuildError{{to_mark(mark), "unknown alias"}};
        // An alias copies its anchor's tree: count the copy, so a few lines of
        // nested aliases ("billion laughs") cannot exhaust memory.
        count(anchor_sizes_[anchor] - 1, to_mark(mark));
        ConfigNode n = it->second;
        complete(std::move(n), 0);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        ConfigNode n;
        n.mark = to_mark(mark);
        if (!is_plain_null(tag, value)) {
            n.kind = ConfigNode::Kind::scalar;
            n.scalar = value;
        }
        complete(std::move(n), anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(ConfigNode::Kind::sequence, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(ConfigNode::Kind::map, mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        ConfigNode node;
        YAML::anchor_t anchor = 0;
        bool have_key = false;
        std::string key;
        Mark key_mark;
        std::map<std::string, Mark> seen;  // key → where first written
    };

    void open(ConfigNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
        Frame f;
        f.node.kind = kind;
        f.node.mark = to_mark(mark);
        f.anchor = anchor;
        stack_.push_back(std::move(f));
    }

    void close() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        complete(std::move(f.node), f.anchor);
    }

    static std::size_t tree_size(const ConfigNode& node) {
        std::size_t n = 1;
        for (const auto& item : node.items) n += tree_size(item);
        for (const auto& [key, value] : node.members) n += 1 + tree_size(value);
        return n;
    }

    void count(std::size_t nodes, Mark mark) {
        total_nodes_ += nodes;
        if (total_nodes_ > kMaxNodes) {
            throw BuildError{{mark, "document too large: more than " + std::to_string(kMaxNodes) +
                                                 " values once aliases are expanded"}};
        }
    }

    void complete(ConfigNode node, YAML::anchor_t anchor) {
        count(1, node.mark);
        if (anchor != 0) {
            anchor_sizes_[anchor] = tree_size(node);
            anchors_[anchor] = node;
        }
        if (stack_.empty()) {
            if (!done_) root_ = std::move(node);
            done_ = true;
            return;
        }
        Frame& top = stack_.back();
        if (top.node.kind == ConfigNode::Kind::sequence) {
            top.node.items.push_back(std::move(node));
            return;
        }
        if (!top.have_key) {
            if (node.kind == ConfigNode::Kind::sequence || node.kind == ConfigNode::Kind::map) {
                throw BuildError{{node.mark, "a map key must be a plain value, not a list or map"}};
            }
            auto [it, inserted] = top.seen.emplace(node.scalar, node.mark);
            if (!inserted) {
                std::ostringstream msg;
                msg << "duplicate key \"" << node.scalar << "\" (first defined at line "
                    << it->second.line << ", column " << it->second.col << ")";
                throw BuildError{{node.mark, msg.str()}};
            }
            top.have_key = true;
            top.key = node.scalar;
            top.key_mark = node.mark;
            return;
        }
        top.node.members.emplace_back(std::move(top.key), std::move(node));
        top.node.key_marks.push_back(top.key_mark);
        top.have_key = false;
        top.key.clear();
    }

    std::vector<Frame> stack_;
    std::map<YAML::anchor_t, ConfigNode> anchors_;
    std::map<YAML::anchor_t, std::size_t> anchor_sizes_;
    // A node config or manifest has a few hundred values; this leaves room
    // for large generated ones while refusing alias bombs.
    static constexpr std::size_t kMaxNodes = 200000;
    std::size_t total_nodes_ = 0;
    ConfigNode root_;
    bool done_ = false;
};

}  // namespace

std::variant<ConfigNode, YamlError> read_yaml(std::string_view text) {
    std::istringstream in{std::string(text)};
    try {
        YAML::Parser parser(in);
        TreeBuilder builder;
        parser.HandleNextDocument(builder);
        if (!builder.has_root()) {
            ConfigNode empty;
            empty.mark = Mark{1, 1};
            return empty;
        }
        return builder.take_root();
    } catch (const BuildError& e) {
        return e.error;
    } catch (const YAML::Exception& e) {
        return YamlError{to_mark(e.mark), e.msg};
    } catch (const std::exception& e) {
        return YamlError{{}, e.what()};
    }
}

bool read_text_file(const std::string& path, std::string& text, std::string& reason) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        reason = "is a folder, not a file";
        return false;
    }
    // Only regular files, and not huge ones: a FIFO or /dev/zero given as a
    // config or manifest would otherwise block or fill memory.
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
        reason = "is not a regular file";
        return false;
    }
    constexpr std::uintmax_t kMaxBytes = 16u << 20;
    if (auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes) {
        reason = "is larger than 16 MiB";
        return false;
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        reason = errno != 0 ? std::strerror(errno) : "cannot be opened";
        return false;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        reason = "read error";
        return false;
    }
    text = buf.str();
    return true;
}

}  // namespace detail

namespace {
std::string position(const std::string& label, const Mark& m) {
    std::string s = label;
    if (m.line > 0) {
        s += ":" + std::to_string(m.line);
        if (m.col > 0) s += ":" + std::to_string(m.col);
    }
    return s;
}
}  // namespace

sdk::Result<ConfigNode> parse_yaml(std::string_view text, const std::string& file_label) {
    auto parsed = detail::read_yaml(text);
    if (auto* err = std::get_if<detail::YamlError>(&parsed)) {
        return sdk::Error{"invalid_yaml", position(file_label, err->mark) + ": " + err->message};
    }
    return std::get<ConfigNode>(std::move(parsed));
}

sdk::Result<ConfigNode> load_yaml_file(const std::string& path) {
    std::string text, reason;
    if (!detail::read_text_file(path, text, reason)) {
        return sdk::Error{"io_error", "cannot read " + path + ": " + reason};
    }
    return parse_yaml(text, path);
}

}  // namespace till::config
