// The kernel's own configuration sections, as a schema: the one source for
// validation and for the reference in docs/configuration.md.
#include "config/node_config.hpp"

namespace till::config {
namespace {

KeySpec key(std::string name, KeyType type, std::string description) {
    KeySpec k;
    k.name = std::move(name);
    k.type = type;
    k.description = std::move(description);
    return k;
}

KeySpec with_default(KeySpec k, sdk::Value v) {
    k.default_value = std::move(v);
    return k;
}

KeySpec required(KeySpec k) {
    k.required = true;
    return k;
}

KeySpec ranged(KeySpec k, std::int64_t min, std::int64_t max) {
    k.min = min;
    k.max = max;
    return k;
}

KeySpec one_of(KeySpec k, std::vector<std::string> values) {
    k.allowed_values = std::move(values);
    return k;
}

KeySpec section(std::string name, std::string description, std::vector<KeySpec> children) {
    KeySpec k = key(std::move(name), KeyType::map, std::move(description));
    k.children = std::move(children);
    return k;
}

std::vector<KeySpec> build_kernel_schema() {
    using T = KeyType;
    std::vector<KeySpec> s;
    s.push_back(required(section(
        "node", "Who this node is and where it keeps its data.",
        {required(key("id", T::string,
                       "Unique node name, e.g. `store-001`. Letters, digits, `-`, `_` and `.` only.")),
         required(one_of(key("role", T::string, "What this node is: a store till or headquarters."),
                         {"store", "hq"})),
         with_default(key("data_dir", T::string,
                          "Folder for the database, logs and plugin files. Relative paths are "
                          "resolved against the config file's folder."),
                      "data"),
         with_default(key("listen", T::string,
                          "HTTP/WebSocket address as `host:port`; port 0 picks any free port."),
                      "127.0.0.1:8080")})));

    KeySpec url = with_default(
        key("url", T::string,
            "Database: empty for SQLite at `<data_dir>/till.db`, `sqlite:PATH`, or "
            "`postgresql://user:password@host:port/dbname`."),
        "");
    url.secret = true;
    s.push_back(section(
        "storage", "The database.",
        {url,
         ranged(with_default(key("pool_size", T::integer, "Database connections kept open."), 4), 1,
                64),
         ranged(with_default(key("busy_timeout_ms", T::integer,
                                 "How long a query waits for a locked database, in milliseconds."),
                             5000),
                0, 600000)}));

    s.push_back(section(
        "logging", "Where log records go and how they look.",
        {with_default(one_of(key("level", T::string, "Least severe level written."),
                             {"trace", "debug", "info", "warn", "error", "critical"}),
                      "info"),
         with_default(one_of(key("format", T::string, "Plain text lines or JSON lines."),
                             {"text", "json"}),
                      "text"),
         with_default(key("file", T::string,
                          "Log file; empty for standard error. Relative paths are resolved "
                          "against `node.data_dir`."),
                      "")}));

    s.push_back(section(
        "http", "The HTTP/WebSocket API server.",
        {ranged(with_default(key("threads", T::integer, "Worker threads for HTTP requests."), 8), 1,
                256),
         ranged(with_default(key("max_body_bytes", T::integer, "Largest request body accepted, in bytes."),
                             1048576),
                1024, 1073741824),
         ranged(with_default(key("max_websockets", T::integer, "Most WebSocket connections open at once."),
                             1024),
                1, 100000)}));

    s.push_back(section(
        "plugins", "Which plugins load.",
        {with_default(key("dirs", T::string_list,
                          "Folders searched for plugins. Relative paths are resolved against the "
                          "config file's folder."),
                      sdk::Value::list()),
         key("enabled", T::string_list,
             "Plugin ids to load. When absent, every discovered plugin loads."),
         key("disabled", T::string_list, "Plugin ids never loaded."),
         key("required", T::string_list,
             "Plugin ids the node cannot run without: it refuses to start if one fails.")}));
    return s;
}

}  // namespace

const std::vector<KeySpec>& kernel_schema() {
    // Built once, never modified afterwards.
    static const std::vector<KeySpec> schema = build_kernel_schema();
    return schema;
}

}  // namespace till::config
