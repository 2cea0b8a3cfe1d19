// Reads the generated part of a document: the text between
// "<!-- BEGIN GENERATED: NAME -->\n" and "<!-- END GENERATED: NAME -->".
#pragma once

#include <optional>
#include <string>

namespace till::test {

struct DocBlock {
    std::string begin_marker;  ///< with its newline
    std::string end_marker;
    std::optional<std::string> text;  ///< nullopt when the markers are missing or out of order
};

DocBlock generated_block(const std::string& document, const std::string& name);

}  // namespace till::test
