#include "printer_config.hpp"

#include <charconv>
#include <set>

namespace till::printer_escpos {
namespace {

sdk::Error bad(const std::string& where, const std::string& message) {
    return sdk::Error{"invalid_argument", where + ": " + message};
}

bool parse_int(std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

std::string option_error(const std::string& key, const std::string& value, const char* expected) {
    return "option " + key + "=" + value + ": expected " + expected;
}

/// Applies one k=v option; "" or the problem.
std::string apply_option(PrinterConfig& p, const std::string& key, const std::string& value) {
    std::int64_t n = 0;
    if (key == "columns") {
        if (!parse_int(value, n) || n < 20 || n > 80) return option_error(key, value, "an integer 20..80");
        p.columns = static_cast<int>(n);
    } else if (key == "code_page") {
        auto page = code_page_from_name(value);
        if (!page) return option_error(key, value, ("one of " + code_page_names()).c_str());
        p.code_page = *page;
    } else if (key == "status") {
        if (value != "on" && value != "off") return option_error(key, value, "on or off");
        p.status = value == "on";
    } else if (key == "connect_timeout_ms" || key == "status_timeout_ms") {
        if (!parse_int(value, n) || n < 1 || n > 60000) return option_error(key, value, "an integer 1..60000");
        (key == "connect_timeout_ms" ? p.connect_timeout_ms : p.status_timeout_ms) = n;
    } else if (key == "paper_dots") {
        if (!parse_int(value, n) || n < 64 || n > 1024) return option_error(key, value, "an integer 64..1024");
        p.paper_dots = static_cast<int>(n);
    } else if (key == "send_buffer_bytes") {
        if (!parse_int(value, n) || n < 0 || n > (1 << 24)) return option_error(key, value, "an integer 0..16777216");
        p.send_buffer_bytes = static_cast<int>(n);
    } else {
        return "unknown option \"" + key +
               "\" (expected columns, code_page, status, connect_timeout_ms, status_timeout_ms, paper_dots, "
               "send_buffer_bytes)";
    }
    return {};
}

}  // namespace

sdk::Result<PrinterConfig> parse_printer_spec(std::string_view spec, const PrinterConfig& defaults,
                                              const std::string& where) {
    PrinterConfig p = defaults;
    const std::size_t eq = spec.find('=');
    if (eq == std::string_view::npos)
        return bad(where, "expected ID=tcp://HOST[:PORT], ID=device:PATH or ID=file:FOLDER, got \"" +
                              std::string(spec) + "\"");
    p.id = std::string(spec.substr(0, eq));
    if (!valid_id(p.id)) return bad(where, "printer id \"" + p.id + "\" must be 1..64 letters, digits, '-' or '_'");
    std::string_view rest = spec.substr(eq + 1);
    std::string_view options;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        options = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    bool columns_given = false;
    bool dots_given = false;
    while (!options.empty()) {
        const auto amp = options.find('&');
        const std::string_view kv = options.substr(0, amp);
        options = amp == std::string_view::npos ? std::string_view() : options.substr(amp + 1);
        const auto e = kv.find('=');
        if (e == std::string_view::npos) return bad(where, "option \"" + std::string(kv) + "\" needs =value");
        const std::string key(kv.substr(0, e));
        if (auto problem = apply_option(p, key, std::string(kv.substr(e + 1))); !problem.empty())
            return bad(where, problem);
        columns_given = columns_given || key == "columns";
        dots_given = dots_given || key == "paper_dots";
    }
    if (columns_given && !dots_given) p.paper_dots = p.columns <= 35 ? 384 : 576;

    if (rest.rfind("tcp://", 0) == 0) {
        p.transport = TransportKind::tcp;
        std::string_view hp = rest.substr(6);
        if (hp.empty()) return bad(where, "tcp:// needs a host");
        const auto colon = hp.rfind(':');
        const bool bracketed = hp.front() == '[';
        if (colon != std::string_view::npos && (!bracketed || hp[colon - 1] == ']')) {
            std::int64_t port = 0;
            if (!parse_int(hp.substr(colon + 1), port) || port < 1 || port > 65535)
                return bad(where, "port \"" + std::string(hp.substr(colon + 1)) + "\" must be 1..65535");
            p.port = static_cast<int>(port);
            hp = hp.substr(0, colon);
        }
        if (bracketed && hp.size() >= 2 && hp.back() == ']') hp = hp.substr(1, hp.size() - 2);
        if (hp.empty()) return bad(where, "tcp:// needs a host");
        p.host = std::string(hp);
    } else if (rest.rfind("device:", 0) == 0) {
        p.transport = TransportKind::device;
        p.path = std::string(rest.substr(7));
        if (p.path.empty() || p.path.front() != '/')
            return bad(where, "device: needs an absolute path such as /dev/usb/lp0");
    } else if (rest.rfind("file:", 0) == 0) {
        p.transport = TransportKind::file;
        p.path = std::string(rest.substr(5));
        if (p.path.empty()) return bad(where, "file: needs a folder");
        p.status = false;
    } else {
        return bad(where, "unknown transport in \"" + std::string(rest) + "\" (expected tcp://, device: or file:)");
    }
    return p;
}

sdk::Result<PluginConfig> parse_plugin_config(const sdk::Value& config) {
    PrinterConfig defaults;
    defaults.columns = static_cast<int>(config["columns"].as_int(defaults.columns));
    defaults.paper_dots = defaults.columns <= 35 ? 384 : 576;
    const std::string page_name = config["code_page"].as_string("cp858");
    auto page = code_page_from_name(page_name);
    if (!page) return bad("printer_escpos.code_page", "\"" + page_name + "\" is not one of " + code_page_names());
    defaults.code_page = *page;
    defaults.status = config["status"].as_bool(true);
    defaults.connect_timeout_ms = config["connect_timeout_ms"].as_int(defaults.connect_timeout_ms);
    defaults.status_timeout_ms = config["status_timeout_ms"].as_int(defaults.status_timeout_ms);

    PluginConfig out;
    std::set<std::string> ids;
    // The manifest's default, also when the config reaches us unvalidated.
    const sdk::Value default_printers = sdk::Value(sdk::Value::List{sdk::Value("receipt-1=file:receipts")});
    const sdk::Value& printers = config["printers"].is_null() ? default_printers : config["printers"];
    if (printers.is_list()) {
        for (std::size_t i = 0; i < printers.size(); ++i) {
            const std::string where = "printer_escpos.printers[" + std::to_string(i) + "]";
            auto p = parse_printer_spec(printers.as_list()[i].as_string(""), defaults, where);
            if (!p) return p.error();
            if (!ids.insert(p->id).second) return bad(where, "printer id \"" + p->id + "\" is used twice");
            out.printers.push_back(std::move(p.value()));
        }
    }
    if (out.printers.empty()) return bad("printer_escpos.printers", "needs at least one printer");

    const sdk::Value& d = config["drawer"];
    out.drawer.enabled = d["enabled"].as_bool(false);
    out.drawer.device_id = d["device_id"].as_string(out.drawer.device_id);
    out.drawer.printer = d["printer"].as_string("");
    out.drawer.pin = static_cast<int>(d["pin"].as_int(0));
    out.drawer.on_ms = static_cast<int>(d["on_ms"].as_int(100));
    out.drawer.off_ms = static_cast<int>(d["off_ms"].as_int(100));
    out.drawer.sensor =
        d["open_when"].as_string("high") == "low" ? DrawerSensor::open_when_low : DrawerSensor::open_when_high;
    if (out.drawer.enabled) {
        if (out.drawer.printer.empty()) out.drawer.printer = out.printers.front().id;
        if (!ids.count(out.drawer.printer))
            return bad("printer_escpos.drawer.printer", "no printer with id \"" + out.drawer.printer + "\"");
        if (ids.count(out.drawer.device_id))
            return bad("printer_escpos.drawer.device_id", "\"" + out.drawer.device_id + "\" is a printer's id");
    }
    return out;
}

}  // namespace till::printer_escpos
