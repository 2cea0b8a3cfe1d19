// Receipt templates: a small line-oriented language a merchant edits (one
// file per receipt kind, `<kind>.receipt`), turned into an sdk::Receipt from
// the data of an order, a report or a cash movement. The language is
// documented in docs/domain/printing.md; in short:
//
//   @# a comment line
//   @center @double {{store.name}}          style words, then text with values
//   @rule =                                 a rule of '='
//   {{#order.lines}}                        a section: once per item of a list
//   @columns 1* 4> 10> | {{name}} | {{qty_milli|qty}} | {{total_minor|money}}
//   {{/order.lines}}
//   {{?order.customer_id}}                  a conditional: only when the value is set
//   Customer: {{order.customer_id}}
//   {{/?}}
//   @barcode code128 {{order.order_id|short:12}}
//   @cut
//
// Sections (`{{#path}}`), conditionals (`{{?path}}` ... `{{/?}}`) and their
// negation (`{{^path}}` ... `{{/^}}`) each stand on a line of their own.
// Values `{{path|filter|filter:arg}}` may appear anywhere in text, columns,
// barcode and QR data. Every mistake is found when the file is parsed and
// reported as "file:line:col: message"; rendering fails only on data of the
// wrong type (a list where text is expected, text given to `money`).
//
// Threading: a parsed template is immutable; render() may run on any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/printing/locale_format.hpp"
#include "till/sdk/receipt.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::printing {

/// One problem in a template file; columns count UTF-8 bytes from 1.
struct TemplateError {
    std::string file;
    int line = 0;
    int col = 0;
    std::string message;
    /// "file:line:col: message".
    std::string to_string() const;
};

/// How values are formatted when rendering.
struct RenderOptions {
    LocaleFormat locale;
    std::string currency = "EUR";  ///< for `money`/`amount` without an argument, when the data has no `currency`
    int utc_offset_minutes = 0;    ///< for `date`, `time`, `datetime`
};

struct TemplateNode;  // receipt_template.cpp

class ReceiptTemplate {
public:
    /// Parses `text` (the content of `file`). `known_roots`: the names a value
    /// outside any section may start with (e.g. "order", "store"); empty =
    /// anything. `base_dir` is where `@logo FILE` is read from. Every problem
    /// found is appended to `errors` (when given); the result's error is the
    /// first one ("invalid_template").
    static sdk::Result<ReceiptTemplate> parse(std::string_view text, const std::string& file,
                                              const std::vector<std::string>& known_roots,
                                              const std::string& base_dir,
                                              std::vector<TemplateError>* errors = nullptr);

    /// The receipt for `data` (a map: its members are the roots). Errors
    /// ("render_failed") name file:line:col of the value that failed.
    sdk::Result<sdk::Receipt> render(const sdk::Value& data, const RenderOptions& options) const;

    const std::string& file() const noexcept { return file_; }

private:
    std::string file_;
    std::shared_ptr<const std::vector<TemplateNode>> nodes_;
};

/// The filters a value may use, for docs and messages.
const std::vector<std::string>& template_filters();

}  // namespace till::domain::printing
