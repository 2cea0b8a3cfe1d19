#include "domain/catalog/catalog_csv.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "domain/catalog/claims.hpp"
#include "domain/catalog/csv_text.hpp"
#include "domain/catalog/validation.hpp"

namespace till::domain::catalog {
namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += '|';
        out += items[i];
    }
    return out;
}

std::vector<std::string> split_bar(const std::string& text) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        std::size_t bar = text.find('|', start);
        out.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return out;
}

const char* bool_text(bool b) { return b ? "true" : "false"; }

/// One record with cells looked up by column name.
class Row {
public:
    Row(const CsvRecord& rec, const std::unordered_map<std::string, std::size_t>& columns)
        : rec_(rec), columns_(columns) {}
    int line() const { return rec_.line; }
    /// nullopt when the file has no such column.
    std::optional<std::string> cell(const std::string& column) const {
        auto it = columns_.find(column);
        if (it == columns_.end()) return std::nullopt;
        return rec_.fields[it->second];
    }
    /// The cell, "" when the column is absent.
    std::string text(const std::string& column) const { return cell(column).value_or(""); }

private:
    const CsvRecord& rec_;
    const std::unordered_map<std::string, std::size_t>& columns_;
};

struct Draft {
    Product product;
    bool is_new = false;
    int row = 0;                            ///< its product row, else its first variant row
    std::map<std::string, int> variant_rows;  ///< variant SKU → row in the file
};

class Planner {
public:
    Planner(const CatalogIndex& index, IdGenerator& ids, std::int64_t now_ms) : index_(index), ids_(ids), now_ms_(now_ms) {}

    ImportPlan run(std::string_view csv);

private:
    void problem(int row, std::string column, std::string message) {
        if (plan_.problems.size() < max_import_problems)
            plan_.problems.push_back({row, std::move(column), std::move(message)});
    }
    bool read_header(const CsvRecord& header);
    void product_row(const Row& row);
    void variant_row(const Row& row);
    void check_claims();
    void finish();

    std::optional<std::int64_t> money(const Row& row, const std::string& column);
    std::optional<bool> flag(const Row& row, const std::string& column);
    std::optional<std::vector<std::string>> barcodes(const Row& row);

    const CatalogIndex& index_;
    IdGenerator& ids_;
    std::int64_t now_ms_;
    ImportPlan plan_;
    std::unordered_map<std::string, std::size_t> columns_;
    std::vector<Draft> drafts_;
    std::unordered_map<std::string, std::size_t> draft_by_sku_;
    std::unordered_map<std::string, int> product_rows_;  ///< product SKU → its row in the file
};

bool Planner::read_header(const CsvRecord& header) {
    const auto& known = csv_columns();
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string& name = header.fields[i];
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            problem(header.line, name, "unknown column (known: " + join(known) + ")");
            continue;
        }
        if (!columns_.emplace(name, i).second) problem(header.line, name, "column appears twice");
    }
    if (!columns_.count("sku")) problem(header.line, "sku", "the header has no sku column");
    return plan_.problems.empty();
}

std::optional<std::int64_t> Planner::money(const Row& row, const std::string& column) {
    std::string text = row.text(column);
    if (text.empty()) return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
        problem(row.line(), column, "expected an integer amount in minor units (cents), got '" + text + "'");
        return std::nullopt;
    }
    if (v < 0) {
        problem(row.line(), column, "must be at least 0, got " + text);
        return std::nullopt;
    }
    if (v > max_price_minor) {
        problem(row.line(), column, "must be at most " + std::to_string(max_price_minor) + ", got " + text);
        return std::nullopt;
    }
    return v;
}

std::optional<bool> Planner::flag(const Row& row, const std::string& column) {
    std::string text = row.text(column);
    if (text.empty()) return std::nullopt;
    if (text == "true") return true;
    if (text == "false") return false;
    problem(row.line(), column, "expected true or false, got '" + text + "'");
    return std::nullopt;
}

std::optional<std::vector<std::string>> Planner::barcodes(const Row& row) {
    auto cell = row.cell("barcodes");
    if (!cell) return std::nullopt;
    auto list = split_bar(*cell);
    if (list.size() > max_barcodes) problem(row.line(), "barcodes", "more than " + std::to_string(max_barcodes) + " barcodes");
    for (const auto& b : list)
        if (auto p = check_barcode(b); !p.empty()) problem(row.line(), "barcodes", "barcode '" + b + "' " + p);
    return list;
}

void Planner::product_row(const Row& row) {
    const std::string sku = row.text("sku");
    const int line = row.line();
    if (auto prev = product_rows_.find(sku); prev != product_rows_.end()) {
        problem(line, "sku", "SKU " + sku + " appears twice (first at row " + std::to_string(prev->second) + ")");
        return;
    }
    product_rows_.emplace(sku, line);
    Draft d;
    d.row = line;
    if (const Product* existing = index_.product_by_sku(sku)) {
        d.product = *existing;
    } else {
        d.is_new = true;
        d.product.product_id = ids_.next();
        d.product.sku = sku;
    }
    Product& p = d.product;
    if (!row.text("variant_name").empty())
        problem(line, "variant_name", "a product row has no variant_name (a variant row needs parent_sku)");
    if (std::string name = row.text("name"); !name.empty()) {
        if (auto prob = check_name(name); !prob.empty()) problem(line, "name", prob);
        p.name = name;
    } else if (d.is_new) {
        problem(line, "name", "is required for a new product");
    }
    if (std::string code = row.text("department"); !code.empty()) {
        if (const Department* dep = index_.department_by_code(code)) p.department_id = dep->department_id;
        else problem(line, "department", "unknown department '" + code + "'");
    } else if (d.is_new) {
        problem(line, "department", "is required for a new product");
    }
    if (std::string code = row.text("tax_class"); !code.empty()) {
        if (const TaxClass* tc = index_.tax_class_by_code(code)) p.tax_class_id = tc->tax_class_id;
        else problem(line, "tax_class", "unknown tax class '" + code + "'");
    } else if (d.is_new) {
        problem(line, "tax_class", "is required for a new product");
    }
    if (auto price = money(row, "price_minor")) p.price_minor = *price;
    else if (d.is_new && row.text("price_minor").empty()) problem(line, "price_minor", "is required for a new product");
    if (auto cost = money(row, "cost_minor")) p.cost_minor = *cost;
    if (auto list = barcodes(row)) p.barcodes = *list;
    if (auto cell = row.cell("modifier_groups")) {
        p.modifier_group_ids.clear();
        for (const auto& code : split_bar(*cell)) {
            const ModifierGroup* g = index_.group_by_code(code);
            if (!g) problem(line, "modifier_groups", "unknown modifier group '" + code + "'");
            else if (std::find(p.modifier_group_ids.begin(), p.modifier_group_ids.end(), g->group_id) !=
                     p.modifier_group_ids.end())
                problem(line, "modifier_groups", "modifier group '" + code + "' is listed twice");
            else p.modifier_group_ids.push_back(g->group_id);
        }
    }
    if (auto b = flag(row, "active")) p.active = *b;
    if (auto b = flag(row, "weighed")) p.weighed = *b;
    if (auto b = flag(row, "track_stock")) p.track_stock = *b;
    if (auto cell = row.cell("tags")) {
        p.tags = split_bar(*cell);
        if (p.tags.size() > max_tags) problem(line, "tags", "more than " + std::to_string(max_tags) + " tags");
        for (const auto& t : p.tags)
            if (auto prob = check_tag(t); !prob.empty()) problem(line, "tags", "tag '" + t + "' " + prob);
    }
    draft_by_sku_[sku] = drafts_.size();
    drafts_.push_back(std::move(d));
}

void Planner::variant_row(const Row& row) {
    const int line = row.line();
    const std::string sku = row.text("sku");
    const std::string parent_sku = row.text("parent_sku");
    for (const char* column : {"name", "department", "tax_class", "modifier_groups", "weighed", "track_stock", "tags"})
        if (!row.text(column).empty())
            problem(line, column, "belongs to the product row of " + parent_sku + "; leave it empty on a variant row");
    std::size_t at;
    if (auto it = draft_by_sku_.find(parent_sku); it != draft_by_sku_.end()) {
        at = it->second;
    } else if (const Product* existing = index_.product_by_sku(parent_sku)) {
        Draft d;
        d.product = *existing;
        d.row = line;
        at = drafts_.size();
        draft_by_sku_[parent_sku] = at;
        drafts_.push_back(std::move(d));
    } else {
        if (auto owner = index_.sku_owner(parent_sku); owner && !owner->variant_id.empty())
            problem(line, "parent_sku", parent_sku + " is a variant, not a product");
        else
            problem(line, "parent_sku", "unknown parent_sku '" + parent_sku +
                                            "' (no product row with that SKU above or in the catalog)");
        return;
    }
    Draft& d = drafts_[at];
    if (auto prev = d.variant_rows.find(sku); prev != d.variant_rows.end()) {
        problem(line, "sku", "SKU " + sku + " appears twice (first at row " + std::to_string(prev->second) + ")");
        return;
    }
    d.variant_rows.emplace(sku, line);
    Product& p = d.product;
    auto it = std::find_if(p.variants.begin(), p.variants.end(), [&](const Variant& v) { return v.sku == sku; });
    const bool is_new = it == p.variants.end();
    if (is_new) {
        if (p.variants.size() >= max_variants) {
            problem(line, "sku", "product " + parent_sku + " has more than " + std::to_string(max_variants) + " variants");
            return;
        }
        Variant v;
        v.variant_id = ids_.next();
        v.sku = sku;
        v.cost_minor = p.cost_minor;
        p.variants.push_back(std::move(v));
        it = p.variants.end() - 1;
    }
    Variant& v = *it;
    if (std::string name = row.text("variant_name"); !name.empty()) {
        if (auto prob = check_name(name); !prob.empty()) problem(line, "variant_name", prob);
        v.name = name;
    } else if (is_new) {
        problem(line, "variant_name", "is required for a new variant");
    }
    if (auto price = money(row, "price_minor")) v.price_minor = *price;
    else if (is_new && row.text("price_minor").empty()) problem(line, "price_minor", "is required for a new variant");
    if (auto cost = money(row, "cost_minor")) v.cost_minor = *cost;
    if (auto list = barcodes(row)) v.barcodes = *list;
    if (auto b = flag(row, "active")) v.active = *b;
}

void Planner::check_claims() {
    std::unordered_set<std::string> replaced;
    for (const auto& d : drafts_)
        if (!d.is_new) replaced.insert(d.product.product_id);
    Claims claims(index_, std::move(replaced));
    for (const auto& d : drafts_) {
        const Product& p = d.product;
        const std::string at = "row " + std::to_string(d.row);
        if (auto prob = claims.claim_sku(p.sku, at); !prob.empty()) problem(d.row, "sku", prob);
        for (const auto& b : p.barcodes)
            if (auto prob = claims.claim_barcode(b, at, p.sku); !prob.empty()) problem(d.row, "barcodes", prob);
        if (!p.variants.empty() && !p.barcodes.empty())
            problem(d.row, "barcodes", "product " + p.sku + " has variants: its barcodes go on the variant rows");
        for (const auto& v : p.variants) {
            auto r = d.variant_rows.find(v.sku);
            const int row = r == d.variant_rows.end() ? d.row : r->second;
            const std::string vat = "row " + std::to_string(row);
            if (auto prob = claims.claim_sku(v.sku, vat); !prob.empty()) problem(row, "sku", prob);
            for (const auto& b : v.barcodes)
                if (auto prob = claims.claim_barcode(b, vat, v.sku); !prob.empty()) problem(row, "barcodes", prob);
        }
    }
}

void Planner::finish() {
    for (auto& d : drafts_) {
        const Product* before = d.is_new ? nullptr : index_.product(d.product.product_id);
        const bool changed = !before || !same_content(*before, d.product);
        if (product_rows_.count(d.product.sku)) {
            bool product_changed = !before;
            if (before) {
                Product a = *before, b = d.product;
                a.variants.clear();
                b.variants.clear();
                product_changed = !same_content(a, b);
            }
            plan_.rows.push_back({product_rows_[d.product.sku], d.product.sku,
                                  !before ? "created" : product_changed ? "updated" : "unchanged"});
        }
        for (const auto& [sku, row] : d.variant_rows) {
            const Variant* old = nullptr;
            if (before)
                for (const auto& v : before->variants)
                    if (v.sku == sku) old = &v;
            const Variant* now = nullptr;
            for (const auto& v : d.product.variants)
                if (v.sku == sku) now = &v;
            std::string outcome = "created";
            if (old && now) {
                bool same = old->name == now->name && old->price_minor == now->price_minor &&
                            old->cost_minor == now->cost_minor && old->active == now->active &&
                            old->barcodes == now->barcodes;
                outcome = same ? "unchanged" : "updated";
            }
            plan_.rows.push_back({row, sku, outcome});
        }
        if (changed) {
            d.product.updated_utc_ms = now_ms_;
            plan_.changed.push_back(std::move(d.product));
        }
    }
    std::sort(plan_.rows.begin(), plan_.rows.end(), [](const RowOutcome& a, const RowOutcome& b) { return a.row < b.row; });
}

ImportPlan Planner::run(std::string_view csv) {
    std::vector<CsvRecord> records;
    CsvSyntaxError syntax;
    if (!parse_csv(csv, records, syntax)) {
        problem(syntax.line, "field " + std::to_string(syntax.field), syntax.message);
        return std::move(plan_);
    }
    if (records.empty()) {
        problem(1, "", "the file is empty: expected a header row (" + join(csv_columns()) + ")");
        return std::move(plan_);
    }
    if (!read_header(records[0])) return std::move(plan_);
    const std::size_t width = records[0].fields.size();
    // Product rows first so a variant row may come before its product's row.
    std::vector<Row> product_rows, variant_rows;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const CsvRecord& rec = records[i];
        if (rec.fields.size() != width) {
            problem(rec.line, "", "has " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                      std::to_string(width));
            continue;
        }
        Row row(rec, columns_);
        if (auto prob = check_sku(row.text("sku")); !prob.empty()) {
            problem(rec.line, "sku", prob);
            continue;
        }
        (row.text("parent_sku").empty() ? product_rows : variant_rows).push_back(row);
    }
    if (records.size() == 1) problem(records[0].line, "", "the file has a header but no rows");
    for (const auto& row : product_rows) product_row(row);
    for (const auto& row : variant_rows) variant_row(row);
    if (plan_.problems.empty()) check_claims();
    std::stable_sort(plan_.problems.begin(), plan_.problems.end(),
              [](const CsvProblem& a, const CsvProblem& b) { return a.row < b.row; });
    if (plan_.problems.empty()) finish();
    return std::move(plan_);
}

}  // namespace

const std::vector<std::string>& csv_columns() {
    static const std::vector<std::string> columns = {
        "sku",      "parent_sku", "name",     "variant_name",    "department", "price_minor", "cost_minor",
        "tax_class", "barcodes",  "modifier_groups", "active", "weighed",    "track_stock", "tags"};
    return columns;
}

std::string export_csv(const CatalogIndex& index) {
    std::string out = csv_line(csv_columns());
    for (const Product* p : index.products("", index.product_count())) {
        const Department* dep = index.department(p->department_id);
        const TaxClass* tc = index.tax_class(p->tax_class_id);
        std::vector<std::string> groups;
        for (const auto& gid : p->modifier_group_ids)
            if (const ModifierGroup* g = index.group(gid)) groups.push_back(g->code);
        out += csv_line({p->sku, "", p->name, "", dep ? dep->code : "", std::to_string(p->price_minor),
                         std::to_string(p->cost_minor), tc ? tc->code : "", join(p->barcodes), join(groups),
                         bool_text(p->active), bool_text(p->weighed), bool_text(p->track_stock), join(p->tags)});
        for (const auto& v : p->variants)
            out += csv_line({v.sku, p->sku, "", v.name, "", std::to_string(v.price_minor), std::to_string(v.cost_minor),
                             "", join(v.barcodes), "", bool_text(v.active), "", "", ""});
    }
    return out;
}

ImportPlan plan_import(std::string_view csv, const CatalogIndex& index, IdGenerator& ids, std::int64_t now_utc_ms) {
    return Planner(index, ids, now_utc_ms).run(csv);
}

}  // namespace till::domain::catalog
