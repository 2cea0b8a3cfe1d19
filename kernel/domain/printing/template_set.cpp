#include "domain/printing/template_set.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace till::domain::printing {
namespace fs = std::filesystem;
namespace {

bool language_folder(const std::string& name) {
    // "de", "fr", "fr-CH", "es-419": letters, then optional "-" and a region.
    const auto dash = name.find('-');
    const std::string primary = name.substr(0, dash);
    if (primary.size() < 2 || primary.size() > 3) return false;
    if (!std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
    if (dash == std::string::npos) return true;
    const std::string region = name.substr(dash + 1);
    return (region.size() == 2 && std::all_of(region.begin(), region.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) ||
           (region.size() == 3 && std::all_of(region.begin(), region.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

bool read_text(const fs::path& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

}  // namespace

const std::vector<std::string>& template_kinds() {
    static const std::vector<std::string> kinds = {"sale",     "refund",  "exchange",     "x_report",
                                                   "z_report", "kitchen", "cash_movement"};
    return kinds;
}

const std::vector<std::string>& template_roots(std::string_view kind) {
    static const std::vector<std::string> order = {"order", "payments", "paid", "store", "receipt", "currency"};
    static const std::vector<std::string> kitchen = {"order", "lines", "station", "store", "receipt", "currency"};
    static const std::vector<std::string> report = {"report", "store", "receipt", "currency"};
    static const std::vector<std::string> movement = {"movement", "store", "receipt", "currency"};
    if (kind == "kitchen") return kitchen;
    if (kind == "x_report" || kind == "z_report") return report;
    if (kind == "cash_movement") return movement;
    return order;
}

TemplateSet::Load TemplateSet::load(const std::string& receipts_dir) {
    Load load;
    auto set = std::make_shared<TemplateSet>();
    set->dir_ = receipts_dir;
    std::error_code ec;
    if (!fs::is_directory(receipts_dir, ec)) {
        load.errors.push_back(TemplateError{receipts_dir, 0, 0, "is not a folder"});
        return load;
    }
    auto read_folder = [&](const fs::path& folder, const std::string& language) {
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(folder, ec))
            if (entry.is_regular_file() && entry.path().extension() == ".receipt") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& path : files) {
            const std::string kind = path.stem().string();
            const std::string file = path.string();
            const auto& kinds = template_kinds();
            if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
                std::string known;
                for (const auto& k : kinds) known += (known.empty() ? "" : ", ") + k;
                load.errors.push_back(TemplateError{file, 1, 1, "\"" + kind + "\" is not a receipt kind (known: " + known + ")"});
                continue;
            }
            std::string text;
            if (!read_text(path, text)) {
                load.errors.push_back(TemplateError{file, 0, 0, "cannot be read"});
                continue;
            }
            ++load.files;
            auto t = ReceiptTemplate::parse(text, file, template_roots(kind), receipts_dir, &load.errors);
            if (t) set->by_language_[language].emplace(kind, std::move(*t));
        }
    };
    read_folder(receipts_dir, "");
    std::vector<fs::path> languages;
    for (const auto& entry : fs::directory_iterator(receipts_dir, ec))
        if (entry.is_directory() && language_folder(entry.path().filename().string())) languages.push_back(entry.path());
    std::sort(languages.begin(), languages.end());
    for (const auto& folder : languages) read_folder(folder, folder.filename().string());
    for (const auto& kind : template_kinds()) {
        bool base_has = set->by_language_.count("") && set->by_language_.at("").count(kind);
        if (!base_has && std::none_of(load.errors.begin(), load.errors.end(), [&](const TemplateError& e) {
                return fs::path(e.file).stem() == kind;
            }))
            load.errors.push_back(TemplateError{(fs::path(receipts_dir) / (kind + ".receipt")).string(), 0, 0,
                                                "missing: every deployment has a template for each receipt kind"});
    }
    if (load.errors.empty()) load.set = std::move(set);
    return load;
}

const ReceiptTemplate* TemplateSet::find(std::string_view kind, std::string_view language) const {
    const std::string lang = language_of(kind, language);
    auto folder = by_language_.find(lang);
    if (folder == by_language_.end()) return nullptr;
    auto t = folder->second.find(kind);
    return t == folder->second.end() ? nullptr : &t->second;
}

std::string TemplateSet::language_of(std::string_view kind, std::string_view language) const {
    auto has = [&](const std::string& lang) {
        auto folder = by_language_.find(lang);
        return folder != by_language_.end() && folder->second.find(kind) != folder->second.end();
    };
    const std::string full(language);
    if (!full.empty() && has(full)) return full;
    const std::string primary = full.substr(0, full.find('-'));
    if (!primary.empty() && has(primary)) return primary;
    return "";
}

}  // namespace till::domain::printing
