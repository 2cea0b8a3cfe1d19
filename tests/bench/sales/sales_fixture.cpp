#include "sales_fixture.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace till::bench {

std::string sales_node_config(const std::string& data_dir, const std::string& plugin_dir) {
    return "node:\n  id: bench-node\n  role: store\n  data_dir: \"" + data_dir +
           "\"\n  listen: 127.0.0.1:0\n"
           "logging:\n  level: warn\n"
           "http:\n  threads: 16\n"
           "plugins:\n  dirs: [\"" + plugin_dir + "\"]\n  enabled: [order_retail, payment_cash]\n"
           "  required: [order_retail, payment_cash]\n"
           "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 86400\n";
}

const ApiReply& expect(const ApiReply& reply, int status, const std::string& what) {
    if (reply.status != status)
        throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " +
                                 std::to_string(reply.status) + " " + reply.body);
    return reply;
}

std::string login(const Send& send, const std::string& user, const std::string& pin, const std::string& terminal) {
    auto r = send("POST", "/api/v1/auth/login",
                  R"({"user_name":")" + user + R"(","pin":")" + pin + R"(","terminal_id":")" + terminal + R"("})", "");
    return expect(r, 200, "login " + user).json["token"].as_string();
}

namespace {
std::string read_pin(const std::string& data_dir) {
    std::ifstream in(data_dir + "/auth/initial-admin-pin");
    std::string pin;
    in >> pin;
    if (pin.empty()) throw std::runtime_error("no " + data_dir + "/auth/initial-admin-pin");
    return pin;
}
}  // namespace

PreparedStore prepare_store(const Send& send, const std::string& data_dir) {
    PreparedStore s;
    s.admin_token = login(send, "admin", read_pin(data_dir), "BACKOFFICE");
    const std::string& admin = s.admin_token;
    expect(send("POST", "/api/v1/users", R"({"name":"alice","role":"cashier","pin":"1111"})", admin), 201,
           "create cashier");
    auto dept = expect(send("POST", "/api/v1/catalog/departments", R"({"code":"shop","name":"Shop"})", admin), 201,
                       "create department");
    auto vat = expect(send("POST", "/api/v1/catalog/tax-classes",
                           R"({"code":"vat20","name":"VAT","rates":[{"name":"VAT 20","rate_bp":2000}]})", admin),
                      201, "create tax class");
    for (int i = 1; i <= 5; ++i) {
        const std::string sku = "BENCH-" + std::to_string(i);
        expect(send("POST", "/api/v1/catalog/products",
                    R"({"sku":")" + sku + R"(","name":"Bench item )" + std::to_string(i) + R"(","department_id":")" +
                        dept.json["department_id"].as_string() + R"(","tax_class_id":")" +
                        vat.json["tax_class_id"].as_string() + R"(","price_minor":)" + std::to_string(100 * i + 99) +
                        "}",
                    admin),
               201, "create product " + sku);
        expect(send("POST", "/api/v1/inventory/adjustments",
                    R"({"sku":")" + sku + R"(","qty_delta_milli":100000000,"reason_code":"received"})", admin),
               201, "stock " + sku);
        s.skus.push_back(sku);
    }
    s.cashier_token = login(send, "alice", "1111", "T1");
    auto methods = expect(send("GET", "/api/v1/payment-methods", "", s.cashier_token), 200, "payment methods");
    for (const auto& m : methods.json["items"].as_list())
        if (m["capabilities"]["gives_change"].as_bool()) s.cash_method = m["method_id"].as_string();
    if (s.cash_method.empty()) throw std::runtime_error("no cash payment method loaded");
    expect(send("POST", "/api/v1/registers/T1/sessions", R"({"opening_float_minor":10000})", s.cashier_token), 201,
           "open register T1");
    return s;
}

}  // namespace till::bench
