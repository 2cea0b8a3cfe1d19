// The kernel's own configuration sections, as a schema: the one source for
// validation and for the reference in docs/configuration.md.
#include "config/node_config.hpp"
#include "config/printing_schema.hpp"

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

    s.push_back(section(
        "sales", "How the till prices, taxes, rounds and refunds (the deployment's sales rules).",
        {with_default(key("currency", T::string, "ISO 4217 currency code of every amount, e.g. `EUR`."), "EUR"),
         with_default(one_of(key("tax_mode", T::string,
                                 "Whether catalog prices include tax (`inclusive`, as in the EU) or tax is "
                                 "added on top (`exclusive`, as in the US)."),
                             {"inclusive", "exclusive"}),
                      "inclusive"),
         with_default(one_of(key("rounding_mode", T::string, "How fractions of a minor unit are rounded."),
                             {"half_up", "half_even"}),
                      "half_up"),
         with_default(one_of(key("rounding_level", T::string,
                                 "Round tax per line, or once per tax rate over the whole invoice."),
                             {"line", "invoice"}),
                      "line"),
         ranged(with_default(key("cash_rounding_minor", T::integer,
                                 "Cash payments are rounded to this many minor units (5 = 0.05); 0 = none."),
                             0),
                0, 100000),
         ranged(with_default(key("discount_limit_bp", T::integer,
                                 "Largest discount, in basis points of the discounted amount, a role with "
                                 "`discount.apply` may give; more needs `discount.over_limit`."),
                             2000),
                0, 10000),
         ranged(with_default(key("refund_limit_minor", T::integer,
                                 "Largest refund, in minor units, a role with `order.refund` may give; more "
                                 "needs `refund.over_limit`."),
                             5000),
                0, 1000000000000),
         with_default(key("return_reasons_restock", T::string_list,
                          "Return reason codes whose goods go back to stock."),
                      sdk::Value(sdk::Value::List{"changed_mind", "wrong_size", "unopened"})),
         with_default(key("return_reasons_no_restock", T::string_list,
                          "Return reason codes whose goods do not go back to stock."),
                      sdk::Value(sdk::Value::List{"damaged", "defective", "expired"})),
         with_default(key("cash_movement_reasons", T::string_list,
                          "Reason codes for cash put into or taken out of a drawer."),
                      sdk::Value(sdk::Value::List{"float_top_up", "bank_drop", "petty_cash", "correction"})),
         with_default(key("stock_adjustment_reasons", T::string_list,
                          "Reason codes for stock adjustments."),
                      sdk::Value(sdk::Value::List{"count", "received", "damaged", "theft", "transfer"}))}));

    const std::vector<std::string> actions = {
        "order.create",  "order.void",          "order.refund",       "refund.over_limit", "refund.other_tender",
        "discount.apply", "discount.over_limit", "price.override",     "payment.take",      "drawer.no_sale",
        "register.open", "register.cash_move",  "register.close",     "report.x",          "report.z",
        "catalog.edit",  "inventory.adjust",    "users.manage",       "audit.read",        "sync.view",
        "sync.manage",   "transfer.manage",     "transfer.move",      "roles.manage"};
    auto role = [&](std::string name, std::string description, sdk::Value::List defaults) {
        return with_default(one_of(key(std::move(name), T::string_list, std::move(description)), actions),
                            sdk::Value(std::move(defaults)));
    };
    const sdk::Value::List cashier = {"order.create", "order.refund", "discount.apply", "payment.take",
                                      "register.open", "register.cash_move", "report.x"};
    sdk::Value::List supervisor = cashier;
    for (const char* a : {"order.void", "refund.over_limit", "refund.other_tender", "discount.over_limit",
                          "price.override", "drawer.no_sale", "register.close", "report.z", "inventory.adjust",
                          "transfer.move"})
        supervisor.emplace_back(a);
    sdk::Value::List manager = supervisor;
    for (const char* a : {"catalog.edit", "users.manage", "audit.read", "sync.view", "sync.manage", "transfer.manage"})
        manager.emplace_back(a);
    sdk::Value::List admin;
    for (const auto& a : actions) admin.emplace_back(a);

    KeySpec secret = with_default(key("jwt_secret", T::string,
                                      "Key that signs API tokens. Empty: a random key is made once and kept in "
                                      "`<data_dir>/auth/jwt.key`. Give it as `${env:NAME}`."),
                                  "");
    secret.secret = true;
    s.push_back(section(
        "auth", "Logins, tokens, PIN lockout and what each role may do.",
        {secret,
         ranged(with_default(key("token_ttl_s", T::integer, "Lifetime of a login token, in seconds."), 900), 30,
                86400),
         ranged(with_default(key("override_ttl_s", T::integer,
                                 "Lifetime of a supervisor's override token, in seconds."),
                             120),
                5, 3600),
         ranged(with_default(key("pin_kdf_iterations", T::integer,
                                 "PBKDF2-HMAC-SHA256 iterations for stored PINs."),
                             100000),
                1000, 10000000),
         ranged(with_default(key("lockout_attempts", T::integer,
                                 "Wrong PINs in a row that lock a user out."),
                             5),
                1, 100),
         ranged(with_default(key("lockout_s", T::integer, "How long a lockout lasts, in seconds."), 300), 1,
                86400),
         section("permissions", "Actions each role may perform (see docs/domain.md, Permissions).",
                 {role("cashier", "Actions a cashier may perform.", cashier),
                  role("supervisor", "Actions a supervisor may perform (and authorise by override).", supervisor),
                  role("manager", "Actions a manager may perform (and authorise by override).", manager),
                  role("admin", "Actions an admin may perform.", admin)})}));

    s.push_back(section(
        "rules", "Lua upsell rules and conflict policies (docs/rules.md): which deployment runs, and its budgets.",
        {with_default(key("scripts_dir", T::string,
                          "Folder holding `<deployment>/upsell/*.lua`, `<deployment>/conflict/*.lua` and "
                          "`lib/*.lua`; empty for no rules. Relative paths are resolved against the config "
                          "file's folder."),
                      ""),
         with_default(key("deployment", T::string,
                          "The deployment folder under `scripts_dir` this node runs, e.g. `cafe`."),
                      ""),
         ranged(with_default(key("instruction_limit", T::integer,
                                 "Lua VM instructions one rule call may run (also charged: pattern-matching "
                                 "steps)."),
                             1000000),
                1000, 1000000000),
         ranged(with_default(key("wall_time_ms", T::integer,
                                 "Wall-clock time one upsell rule call may take, in milliseconds."),
                             20),
                1, 10000),
         ranged(with_default(key("policy_wall_time_ms", T::integer,
                                 "Wall-clock time one conflict policy call may take, in milliseconds."),
                             50),
                1, 10000),
         ranged(with_default(key("memory_bytes", T::integer,
                                 "Memory ceiling of one Lua state (code, cart and garbage), in bytes."),
                             16777216),
                1048576, 1073741824),
         ranged(with_default(key("max_consecutive_failures", T::integer,
                                 "Failures in a row after which an upsell rule is disabled until its file "
                                 "changes."),
                             3),
                1, 1000),
         ranged(with_default(key("reload_interval_ms", T::integer,
                                 "How often the node looks for changed rule files, in milliseconds; 0 = never "
                                 "(rules load once at start)."),
                             1000),
                0, 3600000),
         ranged(with_default(key("max_suggestions", T::integer, "Suggestions kept per cart after merging."), 10),
                1, 100),
         ranged(with_default(key("evaluation_budget_ms", T::integer,
                                 "Wall-clock time all rules together may take on one cart change, in "
                                 "milliseconds; rules left when it is spent are skipped."),
                             100),
                1, 60000)}));

    s.push_back(section(
        "sync", "Sync between a store and HQ (docs/sync.md). A store always keeps its outbox; these keys "
                "say whether and how it is sent, and how HQ serves its stores.",
        {with_default(key("enabled", T::boolean,
                          "Store: push events to HQ and pull master data from it through `transport`. "
                          "While true, master data (catalog, users) is HQ's and cannot be edited here "
                          "unless `allow_local_master_data` is true."),
                      false),
         with_default(key("transport", T::string,
                          "Id of the sync transport plugin to use, e.g. `http` (plugin sync_http) or "
                          "`file` (plugin sync_file)."),
                      "http"),
         with_default(key("allow_local_master_data", T::boolean,
                          "Store: allow local items and users although HQ is the master (they stay local)."),
                      false),
         ranged(with_default(key("push_interval_ms", T::integer,
                                 "How often queued events are pushed, in milliseconds (high-priority events "
                                 "such as Z reports go at once)."),
                             30000),
                10, 86400000),
         ranged(with_default(key("pull_interval_ms", T::integer,
                                 "How often master data is pulled when no notification came, in milliseconds."),
                             60000),
                10, 86400000),
         ranged(with_default(key("batch_max_events", T::integer, "Events per pushed batch."), 500), 1, 100000),
         ranged(with_default(key("request_timeout_ms", T::integer,
                                 "Time one push or pull may take before it counts as failed, in milliseconds."),
                             15000),
                100, 600000),
         ranged(with_default(key("backoff_initial_ms", T::integer,
                                 "First wait after a failed push or pull, in milliseconds; doubles per failure "
                                 "(with jitter) up to `backoff_max_ms`."),
                             1000),
                10, 3600000),
         ranged(with_default(key("backoff_max_ms", T::integer, "Longest wait between attempts, in milliseconds."),
                             300000),
                10, 86400000),
         ranged(with_default(key("hq_max_batch_events", T::integer,
                                 "HQ: most events accepted in one batch; a larger batch is refused (413)."),
                             5000),
                1, 1000000),
         ranged(with_default(key("hq_max_pull_changes", T::integer,
                                 "HQ: most master-data changes answered per pull (the store asks again for "
                                 "the rest)."),
                             1000),
                1, 100000)}));

    s.push_back(section(
        "scanning", "Barcode scans at the tills (docs/domain/scanning.md): scale labels and which terminal "
                    "each scanner serves.",
        {with_default(key("embedded_layouts", T::string_list,
                          "Price- and weight-embedded EAN-13 layouts (GS1 prefixes 20-29) as "
                          "`PREFIX:ITEM_DIGITS:VALUE_DIGITS:price|weight`; the value is in minor units "
                          "(price) or grams (weight). E.g. `21:5:5:price` reads 21 12345 00099 C as item "
                          "12345 at 0.99."),
                      sdk::Value(sdk::Value::List{"21:5:5:price", "22:5:5:weight"})),
         with_default(key("terminals", T::string_list,
                          "Which terminal each scanner device serves, as `DEVICE_ID=TERMINAL_ID` "
                          "(e.g. `scanner-1=T1`): its scans go to that terminal's open order."),
                      sdk::Value(sdk::Value::List{})),
         with_default(key("default_terminal", T::string,
                          "Terminal for scanners not listed in `terminals`; empty = such scanners are not used."),
                      "")}));

    s.push_back(printing_section());
    return s;
}

}  // namespace

const std::vector<KeySpec>& kernel_schema() {
    // Built once, never modified afterwards.
    static const std::vector<KeySpec> schema = build_kernel_schema();
    return schema;
}

}  // namespace till::config
