// The catalog as CSV: one row per product or variant, columns
//   sku, parent_sku, name, variant_name, department, price_minor, cost_minor,
//   tax_class, barcodes, modifier_groups, active, weighed, track_stock, tags
// (docs/domain/catalog.md describes each). Export writes every column, the
// products in SKU order, each followed by its variants in their order, so
// export → import changes nothing and a second export is byte-identical.
//
// Import is planned against the current index without touching it: the plan
// holds either the problems (every bad row, row:column and what is wrong) or
// the products that change, with their final state. Upsert by SKU: a row for
// an existing SKU updates it; a column left out of the file, or an empty cell
// of a single-value column, keeps the current value (a new product needs
// name, department, tax_class and price_minor; a new variant variant_name
// and price_minor). List columns (barcodes, modifier_groups, tags) present
// in the file replace the list; an empty cell empties it. Import never
// deletes a product or a variant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/catalog_index.hpp"
#include "domain/common/ids.hpp"

namespace till::domain::catalog {

const std::vector<std::string>& csv_columns();

std::string export_csv(const CatalogIndex& index);

struct CsvProblem {
    int row = 0;         ///< line number of the record (the header is row 1)
    std::string column;  ///< column name ("" for the whole row)
    std::string message;
};

struct RowOutcome {
    int row = 0;
    std::string sku;
    std::string outcome;  ///< "created" | "updated" | "unchanged"
};

struct ImportPlan {
    std::vector<CsvProblem> problems;  ///< non-empty = refuse the whole import
    std::vector<Product> changed;      ///< final states of new or modified products
    std::vector<RowOutcome> rows;      ///< in row order
};

/// At most this many problems are listed.
inline constexpr std::size_t max_import_problems = 100;

ImportPlan plan_import(std::string_view csv, const CatalogIndex& index, IdGenerator& ids, std::int64_t now_utc_ms);

}  // namespace till::domain::catalog
