#include "till/sdk/device_lifecycle.hpp"

#include <string>

namespace till::sdk {
namespace {


LifecycleStep allow(DeviceState next) { return {DeviceResult::success(), next}; }

LifecycleStep refuse(DeviceState current, DeviceErrorCode code, const char* call, const char* why) {
    return {DeviceResult::failure(code, std::string(call) + " refused: " + why + " (state " +
                                             state_name(current) + ")"),
            current};
}

}  // namespace

LifecycleStep lifecycle_step(DeviceState s, LifecycleCall call) {
    switch (call) {
        case LifecycleCall::open:
            if (s == DeviceState::closed) return allow(DeviceState::opened);
            return refuse(s, DeviceErrorCode::illegal, "open", "the device is already open");
        case LifecycleCall::claim:
            if (s == DeviceState::closed) return refuse(s, DeviceErrorCode::closed, "claim", "open the device first");
            if (s == DeviceState::opened) return allow(DeviceState::claimed);
            return allow(s);
        case LifecycleCall::enable:
            if (s == DeviceState::closed) return refuse(s, DeviceErrorCode::closed, "enable", "open the device first");
            if (s == DeviceState::opened) return refuse(s, DeviceErrorCode::not_claimed, "enable", "claim the device first");
            return allow(DeviceState::enabled);
        case LifecycleCall::disable:
            if (s == DeviceState::closed) return refuse(s, DeviceErrorCode::closed, "disable", "the device is not open");
            if (s == DeviceState::opened) return refuse(s, DeviceErrorCode::not_claimed, "disable", "the device is not claimed");
            return allow(DeviceState::claimed);
        case LifecycleCall::release:
            if (s == DeviceState::closed) return refuse(s, DeviceErrorCode::closed, "release", "the device is not open");
            if (s == DeviceState::opened) return refuse(s, DeviceErrorCode::not_claimed, "release", "the device is not claimed");
            return allow(DeviceState::opened);
        case LifecycleCall::close:
            if (s == DeviceState::closed) return refuse(s, DeviceErrorCode::closed, "close", "the device is not open");
            return allow(DeviceState::closed);
        case LifecycleCall::io:
            if (s == DeviceState::closed) return refuse(s, DeviceErrorCode::closed, "I/O", "the device is not open");
            if (s == DeviceState::opened) return refuse(s, DeviceErrorCode::not_claimed, "I/O", "claim the device first");
            if (s == DeviceState::claimed) return refuse(s, DeviceErrorCode::disabled, "I/O", "enable the device first");
            return allow(s);
    }
    return refuse(s, DeviceErrorCode::illegal, "call", "unknown call");
}

const char* state_name(DeviceState state) noexcept {
    switch (state) {
        case DeviceState::closed: return "closed";
        case DeviceState::opened: return "opened";
        case DeviceState::claimed: return "claimed";
        case DeviceState::enabled: return "enabled";
    }
    return "unknown";
}

const char* error_code_name(DeviceErrorCode code) noexcept {
    switch (code) {
        case DeviceErrorCode::success: return "success";
        case DeviceErrorCode::closed: return "closed";
        case DeviceErrorCode::claimed: return "claimed";
        case DeviceErrorCode::not_claimed: return "not_claimed";
        case DeviceErrorCode::disabled: return "disabled";
        case DeviceErrorCode::illegal: return "illegal";
        case DeviceErrorCode::offline: return "offline";
        case DeviceErrorCode::timeout: return "timeout";
        case DeviceErrorCode::busy: return "busy";
        case DeviceErrorCode::failure: return "failure";
        case DeviceErrorCode::extended: return "extended";
    }
    return "unknown";
}

}  // namespace till::sdk
