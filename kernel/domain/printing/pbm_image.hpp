// Logos for receipts: 1-bit PBM images (P1 text or P4 binary, as GIMP and
// ImageMagick write them: `convert logo.png -monochrome logo.pbm`), whose
// bit layout is the one sdk::ImageBlock uses (MSB first, 1 = black).
#pragma once

#include <string>
#include <string_view>

#include "till/sdk/receipt.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::printing {

/// Parses PBM file content. Errors ("invalid_image") say what is wrong.
sdk::Result<sdk::ImageBlock> parse_pbm(std::string_view content);

/// Reads and parses the file at `path` ("not_found" when it cannot be read).
sdk::Result<sdk::ImageBlock> read_pbm(const std::string& path);

}  // namespace till::domain::printing
