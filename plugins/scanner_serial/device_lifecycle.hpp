// scanner_serial: the UnifiedPOS lifecycle as a table, so the device and its
// tests agree on which call is legal in which state.
//
//   call      closed        opened         claimed          enabled
//   open      -> opened     illegal        illegal          illegal
//   claim     closed        -> claimed     ok (no change)   ok (no change)
//   enable    closed        not_claimed    -> enabled       ok (no change)
//   disable   closed        not_claimed    ok (no change)   -> claimed
//   release   closed        not_claimed    -> opened        -> opened
//   close     closed        -> closed      -> closed        -> closed
//   io        closed        not_claimed    disabled         ok
//
// `io` stands for every call that uses the hardware (reading scans).
#pragma once

#include <till/sdk/device.hpp>

namespace till::scanner_serial {

enum class LifecycleCall { open, claim, enable, disable, release, close, io };

struct LifecycleStep {
    sdk::DeviceResult result;  ///< success, or why the call is refused
    sdk::DeviceState next;     ///< the state after a successful call
};

/// What `call` does in `current`: refused with a UnifiedPOS error code, or
/// allowed with the state it leads to.
LifecycleStep lifecycle_step(sdk::DeviceState current, LifecycleCall call);

const char* state_name(sdk::DeviceState state) noexcept;
const char* error_code_name(sdk::DeviceErrorCode code) noexcept;

}  // namespace till::scanner_serial
