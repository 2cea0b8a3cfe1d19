// The receipts the golden files are made from: one per kind a store prints
// (sale, refund, exchange, X and Z reports, kitchen ticket, cash movement),
// written the way the kernel's templates will fill them, with the
// characters that need a code page or a transliteration (€, é, ß, “”).
#pragma once

#include <string>
#include <vector>

#include <till/sdk/receipt.hpp>

namespace till::test {

struct SampleReceipt {
    std::string name;  ///< golden file stem: "sale" → golden/sale.bin, golden/sale.txt
    int columns;
    sdk::Receipt receipt;
};

std::vector<SampleReceipt> sample_receipts();

/// A small 1-bit logo, `width_dots` (a multiple of 8) by `height_dots`.
sdk::ImageBlock sample_logo(int width_dots, int height_dots);

/// A sale with `item_lines` item rows: header, items, totals, barcode, cut
/// (the benchmark's "30-line receipt" is sale_with_items(22)).
sdk::Receipt sale_with_items(int item_lines);

}  // namespace till::test
