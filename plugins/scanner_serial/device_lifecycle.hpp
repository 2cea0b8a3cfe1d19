// scanner_serial: the UnifiedPOS lifecycle table every device plugin shares (till/sdk/device_lifecycle.hpp).
#pragma once

#include <till/sdk/device_lifecycle.hpp>

namespace till::scanner_serial {

using sdk::error_code_name;
using sdk::lifecycle_step;
using sdk::LifecycleCall;
using sdk::LifecycleStep;
using sdk::state_name;

}  // namespace till::scanner_serial
