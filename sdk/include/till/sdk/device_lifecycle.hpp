// Till SDK — the UnifiedPOS lifecycle as a table, so every device plugin and
// its tests agree on which call is legal in which state (device.hpp).
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
// `io` stands for every call that uses the hardware (print, read scans, ...).
// A helper compiled into till::sdk (no virtual interface: not part of the ABI).
#pragma once

#include "till/sdk/device.hpp"

namespace till::sdk {

enum class LifecycleCall { open, claim, enable, disable, release, close, io };

struct LifecycleStep {
    DeviceResult result;  ///< success, or why the call is refused
    DeviceState next;     ///< the state after a successful call
};

/// What `call` does in `current`: refused with a UnifiedPOS error code, or
/// allowed with the state it leads to.
LifecycleStep lifecycle_step(DeviceState current, LifecycleCall call);

const char* state_name(DeviceState state) noexcept;
const char* error_code_name(DeviceErrorCode code) noexcept;

}  // namespace till::sdk
