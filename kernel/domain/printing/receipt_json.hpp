// sdk::Receipt as JSON, for the print queue's `document_json` column (and
// the API's job view). Round-trips exactly; image bits are hex text.
#pragma once

#include "till/sdk/receipt.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::printing {

sdk::Value receipt_to_value(const sdk::Receipt& receipt);
/// Errors ("invalid_document") name the block: "blocks[3]: unknown type \"x\"".
sdk::Result<sdk::Receipt> receipt_from_value(const sdk::Value& value);

}  // namespace till::domain::printing
