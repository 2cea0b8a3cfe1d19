// The `printing:` section of the node config (receipts, routing, the print
// queue: kernel/domain/printing), as KeySpecs for kernel_schema.cpp
// (validation and docs/configuration.md).
#pragma once

#include "config/schema.hpp"

namespace till::config {

/// The `printing:` section (a KeyType::map KeySpec named "printing").
KeySpec printing_section();

}  // namespace till::config
