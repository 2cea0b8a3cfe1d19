// The receipt templates of a deployment: `<receipts_dir>/<kind>.receipt` for
// each kind (sale, refund, exchange, x_report, z_report, kitchen,
// cash_movement) and translations in `<receipts_dir>/<lang>/<kind>.receipt`
// (`de/`, `fr-CH/`, ...), which win over the base file for that language.
// `@logo FILE` names a .pbm file relative to `<receipts_dir>`.
//
// Loaded once, checked whole: every file is parsed, every problem reported
// (file:line:col). A set with problems is not used (the node keeps printing
// with the set it had, or prints nothing when it never had one).
//
// Threading: immutable once loaded.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/printing/receipt_template.hpp"

namespace till::domain::printing {

/// The kinds every deployment has a template for, in a stable order.
const std::vector<std::string>& template_kinds();

/// The names a value outside any section may start with in a template of
/// `kind` (the roots of the data the print service gives it).
const std::vector<std::string>& template_roots(std::string_view kind);

class TemplateSet {
public:
    struct Load {
        std::shared_ptr<const TemplateSet> set;  ///< null when errors is not empty
        std::vector<TemplateError> errors;
        std::size_t files = 0;                   ///< template files read
    };
    /// Reads and checks every template under `receipts_dir`.
    static Load load(const std::string& receipts_dir);

    /// The template of `kind` for `language` (BCP 47): `<language>/`, then its
    /// primary subtag (`de` for `de-AT`), then the base folder. nullptr when
    /// the kind has no template.
    const ReceiptTemplate* find(std::string_view kind, std::string_view language) const;
    /// The language folder the template found by find() came from ("" = base).
    std::string language_of(std::string_view kind, std::string_view language) const;
    const std::string& dir() const noexcept { return dir_; }

private:
    std::string dir_;
    std::map<std::string, std::map<std::string, ReceiptTemplate, std::less<>>, std::less<>> by_language_;  ///< "" = base
};

}  // namespace till::domain::printing
