// printer_file lifecycle table: every call in every state.
#include <catch2/catch.hpp>

#include "device_lifecycle.hpp"

using namespace till::printer_file;
using till::sdk::DeviceErrorCode;
using till::sdk::DeviceState;

namespace {

DeviceErrorCode code(DeviceState s, LifecycleCall c) { return lifecycle_step(s, c).result.code; }
DeviceState next(DeviceState s, LifecycleCall c) { return lifecycle_step(s, c).next; }

}  // namespace

TEST_CASE("the happy path walks closed, opened, claimed, enabled and back") {
    DeviceState s = DeviceState::closed;
    for (auto [call, expected] : std::vector<std::pair<LifecycleCall, DeviceState>>{
             {LifecycleCall::open, DeviceState::opened},
             {LifecycleCall::claim, DeviceState::claimed},
             {LifecycleCall::enable, DeviceState::enabled},
             {LifecycleCall::disable, DeviceState::claimed},
             {LifecycleCall::release, DeviceState::opened},
             {LifecycleCall::close, DeviceState::closed}}) {
        auto step = lifecycle_step(s, call);
        REQUIRE(step.result.ok());
        CHECK(step.next == expected);
        s = step.next;
    }
}

TEST_CASE("calls on a closed device answer closed, except open") {
    for (auto call : {LifecycleCall::claim, LifecycleCall::enable, LifecycleCall::disable, LifecycleCall::release,
                      LifecycleCall::close, LifecycleCall::io}) {
        CHECK(code(DeviceState::closed, call) == DeviceErrorCode::closed);
        CHECK(next(DeviceState::closed, call) == DeviceState::closed);
    }
}

TEST_CASE("open on an open device is illegal") {
    for (auto s : {DeviceState::opened, DeviceState::claimed, DeviceState::enabled}) {
        CHECK(code(s, LifecycleCall::open) == DeviceErrorCode::illegal);
        CHECK(next(s, LifecycleCall::open) == s);
    }
}

TEST_CASE("an unclaimed device refuses enable, disable, release and I/O with not_claimed") {
    for (auto call : {LifecycleCall::enable, LifecycleCall::disable, LifecycleCall::release, LifecycleCall::io})
        CHECK(code(DeviceState::opened, call) == DeviceErrorCode::not_claimed);
}

TEST_CASE("I/O needs the device enabled") {
    CHECK(code(DeviceState::claimed, LifecycleCall::io) == DeviceErrorCode::disabled);
    CHECK(code(DeviceState::enabled, LifecycleCall::io) == DeviceErrorCode::success);
}

TEST_CASE("repeating claim, enable or disable is harmless") {
    CHECK(next(DeviceState::claimed, LifecycleCall::claim) == DeviceState::claimed);
    CHECK(next(DeviceState::enabled, LifecycleCall::claim) == DeviceState::enabled);
    CHECK(next(DeviceState::enabled, LifecycleCall::enable) == DeviceState::enabled);
    CHECK(next(DeviceState::claimed, LifecycleCall::disable) == DeviceState::claimed);
}

TEST_CASE("release and close from enabled drop everything at once") {
    CHECK(next(DeviceState::enabled, LifecycleCall::release) == DeviceState::opened);
    CHECK(next(DeviceState::enabled, LifecycleCall::close) == DeviceState::closed);
}

TEST_CASE("refusals carry a message naming the call and the state") {
    auto step = lifecycle_step(DeviceState::claimed, LifecycleCall::io);
    CHECK(step.result.message.find("enable") != std::string::npos);
    CHECK(step.result.message.find("claimed") != std::string::npos);
}
