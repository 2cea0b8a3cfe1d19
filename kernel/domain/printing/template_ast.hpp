// Internal to domain/printing: a parsed receipt template.
#pragma once

#include <string>
#include <vector>

#include "domain/printing/receipt_template.hpp"
#include "till/sdk/receipt.hpp"

namespace till::domain::printing {

struct Filter {
    std::string name;
    std::string arg;  ///< after ':' ("" when none)
    bool has_arg = false;
};

/// `{{path|filter|...}}`; path "." is the current section item.
struct ValueRef {
    std::vector<std::string> path;
    std::vector<Filter> filters;
    int line = 0;
    int col = 0;
};

/// Text with values in it: literal and value pieces in order.
struct TextPiece {
    std::string literal;
    bool is_value = false;
    ValueRef value;
};
using TemplateText = std::vector<TextPiece>;

struct ColumnSpec {
    int width = 0;   ///< chars (fixed) or weight (share)
    bool share = false;
    sdk::TextAlign align = sdk::TextAlign::left;
};

enum class NodeKind { text, columns, rule, barcode, qr, image, feed, cut, drawer, section, when, unless };

struct TemplateNode {
    NodeKind kind = NodeKind::text;
    int line = 0;
    int col = 0;
    sdk::TextAlign align = sdk::TextAlign::left;
    sdk::TextStyle style;
    TemplateText text;                 ///< text; barcode and QR data
    std::vector<ColumnSpec> columns;   ///< columns
    std::vector<TemplateText> cells;   ///< columns
    int gap_chars = 1;
    std::string rule_character = "-";
    sdk::BarcodeBlock barcode;         ///< data filled at render
    sdk::QrBlock qr;                   ///< data filled at render
    sdk::ImageBlock image;
    int feed_lines = 1;
    sdk::CutKind cut = sdk::CutKind::partial;
    int drawer_pin = 0;
    ValueRef subject;                  ///< section / when / unless
    std::vector<TemplateNode> children;
};

}  // namespace till::domain::printing
