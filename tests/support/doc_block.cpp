#include "support/doc_block.hpp"

namespace till::test {

DocBlock generated_block(const std::string& document, const std::string& name) {
    DocBlock block;
    block.begin_marker = "<!-- BEGIN GENERATED: " + name + " -->\n";
    block.end_marker = "<!-- END GENERATED: " + name + " -->";
    const auto b = document.find(block.begin_marker);
    const auto e = document.find(block.end_marker);
    if (b == std::string::npos || e == std::string::npos || e < b + block.begin_marker.size()) return block;
    block.text = document.substr(b + block.begin_marker.size(), e - b - block.begin_marker.size());
    return block;
}

}  // namespace till::test
