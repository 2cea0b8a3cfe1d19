#include "app/tillctl_receipts.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "domain/printing/locale_format.hpp"
#include "domain/printing/template_set.hpp"

namespace till::ctl {
namespace {

namespace fs = std::filesystem;
using namespace till::domain::printing;

int usage() {
    std::cerr << "usage:\n"
                 "  tillctl receipts check DIR              check every receipt template (DIR: a deployment or its receipts/)\n"
                 "  tillctl receipts render DIR KIND --data FILE.json [--locale en-GB] [--language de] [--columns 42]\n"
                 "                                          print a template rendered with the data as plain text\n";
    return 2;
}

std::string receipts_dir(const std::string& dir) {
    if (fs::is_directory(fs::path(dir) / "receipts")) return (fs::path(dir) / "receipts").string();
    return dir;
}

int check(const std::string& dir) {
    const std::string receipts = receipts_dir(dir);
    auto load = TemplateSet::load(receipts);
    for (const auto& e : load.errors) std::cout << e.to_string() << "\n";
    if (!load.errors.empty()) {
        std::cout << load.errors.size() << " problem(s) in " << receipts << "\n";
        return 1;
    }
    std::cout << receipts << ": " << load.files << " template(s) OK\n";
    return 0;
}

int render(const std::vector<std::string>& args) {
    if (args.size() < 3) return usage();
    const std::string receipts = receipts_dir(args[1]);
    const std::string kind = args[2];
    std::string data_file, locale = "en-GB", language;
    int columns = 42;
    for (std::size_t i = 3; i + 1 < args.size(); i += 2) {
        if (args[i] == "--data") data_file = args[i + 1];
        else if (args[i] == "--locale") locale = args[i + 1];
        else if (args[i] == "--language") language = args[i + 1];
        else if (args[i] == "--columns") columns = std::atoi(args[i + 1].c_str());
        else return usage();
    }
    if (data_file.empty() || columns < 16 || columns > 80) return usage();
    auto loc = locale_format(locale);
    if (!loc) {
        std::cerr << "unknown locale " << locale << "\n";
        return 2;
    }
    std::ifstream in(data_file);
    if (!in) {
        std::cerr << "cannot read " << data_file << "\n";
        return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto data = sdk::Value::parse_json(text.str());
    if (!data) {
        std::cerr << data_file << ": " << data.error().message << "\n";
        return 2;
    }
    auto load = TemplateSet::load(receipts);
    for (const auto& e : load.errors) std::cout << e.to_string() << "\n";
    if (!load.set) return 1;
    const ReceiptTemplate* t = load.set->find(kind, language.empty() ? locale : language);
    if (!t) {
        std::cerr << "no template for kind " << kind << "\n";
        return 2;
    }
    RenderOptions options;
    options.locale = *loc;
    auto receipt = t->render(*data, options);
    if (!receipt) {
        std::cout << receipt.error().message << "\n";
        return 1;
    }
    std::cout << sdk::plain_text(*receipt, columns);
    return 0;
}

}  // namespace

int run_receipts_command(const std::vector<std::string>& args) {
    if (args.size() == 2 && args[0] == "check") return check(args[1]);
    if (!args.empty() && args[0] == "render") return render(args);
    return usage();
}

}  // namespace till::ctl
