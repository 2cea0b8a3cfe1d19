// `tillctl sync ...` (see tillctl_sync.hpp and docs/sync.md).
#include "app/tillctl_sync.hpp"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "app/tillctl_http.hpp"
#include "till/sdk/value.hpp"

namespace till::ctl {
namespace {

using sdk::Value;

int usage() {
    std::cerr << "usage: tillctl [--url URL] sync status|push|pull [--json]\n"
                 "         [--token JWT | --user NAME --pin PIN | --data-dir DIR]\n"
                 "  status  the store's sync state, queue and cursors (GET /api/v1/sync/status, sync.view)\n"
                 "  push    push queued events now, then show the status (sync.manage)\n"
                 "  pull    pull master data now, then show the status (sync.manage)\n"
                 "  --token defaults to $TILL_TOKEN, --pin to $TILL_PIN; --data-dir logs in as admin\n"
                 "  with DIR/auth/initial-admin-pin\n";
    return 2;
}

int fail(const std::string& message) {
    std::cerr << "tillctl: " << message << "\n";
    return 1;
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

struct Options {
    std::string verb;
    bool json = false;
    std::string token;
    std::string user;
    std::string pin;
    std::string data_dir;
};

sdk::Result<std::string> login(const std::string& url, const std::string& user, const std::string& pin) {
    Value body = Value::map();
    body.set("user_name", user);
    body.set("pin", pin);
    body.set("terminal_id", "tillctl");
    auto answer = http_call(url, "POST", "/api/v1/auth/login", body.to_json());
    if (!answer) return answer.error();
    if (answer->status != 200)
        return sdk::Error{"unauthorized", "login as " + user + " answered " + std::to_string(answer->status) + ": " +
                                              answer->body};
    auto session = Value::parse_json(answer->body);
    if (!session || !(*session)["token"].is_string())
        return sdk::Error{"bad_answer", "login answered something that is not a session"};
    return (*session)["token"].as_string();
}

sdk::Result<std::string> bearer(const std::string& url, const Options& o) {
    if (!o.token.empty()) return o.token;
    if (!o.data_dir.empty()) {
        const std::string pin_file = o.data_dir + "/auth/initial-admin-pin";
        std::ifstream in(pin_file);
        if (!in) return sdk::Error{"io_error", "cannot read " + pin_file + " (is this the node's data dir?)"};
        std::stringstream text;
        text << in.rdbuf();
        return login(url, "admin", trimmed(text.str()));
    }
    if (!o.user.empty()) {
        if (o.pin.empty()) return sdk::Error{"usage", "--user needs --pin (or $TILL_PIN)"};
        return login(url, o.user, o.pin);
    }
    const std::string env_token = env_or("TILL_TOKEN", "");
    if (!env_token.empty()) return env_token;
    return sdk::Error{"usage",
                      "the sync routes need a logged-in user: give --token, --user/--pin or --data-dir "
                      "(or set $TILL_TOKEN)"};
}

std::string duration_text(std::int64_t ms) {
    if (ms < 0) ms = 0;
    std::int64_t s = ms / 1000;
    if (s < 60) return std::to_string(s) + "s";
    if (s < 3600) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
    if (s < 86400) return std::to_string(s / 3600) + "h " + std::to_string((s % 3600) / 60) + "m";
    return std::to_string(s / 86400) + "d " + std::to_string((s % 86400) / 3600) + "h";
}

std::string time_text(std::int64_t utc_ms, std::int64_t now_ms) {
    if (utc_ms <= 0) return "never";
    const std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return std::string(buf) + " (" + duration_text(now_ms - utc_ms) + " ago)";
}

void print_status(const Value& s) {
    const std::int64_t now_ms = static_cast<std::int64_t>(std::time(nullptr)) * 1000;
    auto line = [](const std::string& label, const std::string& value) {
        std::cout << label << std::string(label.size() < 24 ? 24 - label.size() : 1, ' ') << value << "\n";
    };
    line("state:", s["state"].as_string() + (s["enabled"].as_bool() ? "" : " (sync.enabled is false)"));
    line("transport:", s["transport"].as_string());
    const std::int64_t depth = s["queue_depth"].as_int();
    line("queue:", std::to_string(depth) + " event(s)" +
                       (depth > 0 ? ", oldest " + duration_text(s["oldest_unsent_age_ms"].as_int()) + " old" : ""));
    line("acknowledged:", "sequence " + std::to_string(s["acknowledged_sequence"].as_int()) + " of " +
                              std::to_string(s["last_sequence"].as_int()));
    line("last push:", time_text(s["last_push_utc_ms"].as_int(), now_ms));
    line("last pull:", time_text(s["last_pull_utc_ms"].as_int(), now_ms));
    line("pull revision:", std::to_string(s["pull_revision"].as_int()));
    const std::int64_t next = s["next_attempt_utc_ms"].as_int();
    if (s["enabled"].as_bool()) line("next attempt:", next <= now_ms ? "now" : "in " + duration_text(next - now_ms));
    line("since start:", std::to_string(s["pushed_total"].as_int()) + " pushed, " +
                             std::to_string(s["pulled_total"].as_int()) + " pulled, " +
                             std::to_string(s["skipped_total"].as_int()) + " skipped");
    const std::string error = s["last_error"].as_string();
    line("last error:", error.empty() ? "-" : error);
}

}  // namespace

int run_sync_command(const std::string& url, const std::vector<std::string>& args) {
    if (args.empty()) return usage();
    Options o;
    o.verb = args[0];
    if (o.verb != "status" && o.verb != "push" && o.verb != "pull") return usage();
    o.pin = env_or("TILL_PIN", "");
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") o.json = true;
        else if (a == "--token" && has_value) o.token = args[++i];
        else if (a == "--user" && has_value) o.user = args[++i];
        else if (a == "--pin" && has_value) o.pin = args[++i];
        else if (a == "--data-dir" && has_value) o.data_dir = args[++i];
        else return usage();
    }
    auto token = bearer(url, o);
    if (!token) {
        if (token.error().code == "usage") {
            std::cerr << "tillctl: " << token.error().message << "\n";
            return 2;
        }
        return fail(token.error().message);
    }
    const std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + *token}};
    auto answer = o.verb == "status" ? http_call(url, "GET", "/api/v1/sync/status", {}, headers)
                                     : http_call(url, "POST", "/api/v1/sync/" + o.verb, "{}", headers);
    if (!answer) return fail(answer.error().message);
    auto body = Value::parse_json(answer->body);
    if (answer->status != 200) {
        std::string reason = answer->body;
        if (body && (*body)["detail"].is_string()) reason = (*body)["detail"].as_string();
        return fail(url + "/api/v1/sync/" + o.verb + " answered " + std::to_string(answer->status) + ": " + reason);
    }
    if (!body) return fail("the node answered something that is not JSON: " + body.error().message);
    if (o.json) std::cout << body->to_json() << "\n";
    else print_status(*body);
    return 0;
}

}  // namespace till::ctl
