// Till SDK — errors as values.
//
// Every call that crosses the kernel/plugin boundary reports failure as a
// value, never as an exception: an exception object whose code lives in a
// plugin must not escape into the kernel (see docs/sdk/getting-started.md).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace till::sdk {

/// A failure: a short machine-readable code ("invalid_argument",
/// "not_found", "io_error", ...) and a message for a person.
struct Error {
    std::string code;
    std::string message;
};

/// Success, or an Error. Cheap to copy when successful.
class Status {
public:
    Status() = default;  ///< success
    Status(Error error) : failed_(true), error_(std::move(error)) {}

    static Status success() { return Status(); }
    static Status failure(std::string code, std::string message) {
        return Status(Error{std::move(code), std::move(message)});
    }

    bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    /// Valid only when !ok().
    const Error& error() const noexcept { return error_; }
    const std::string& message() const noexcept { return error_.message; }

private:
    bool failed_ = false;
    Error error_;
};

/// A value of T, or an Error.
template <class T>
class Result {
public:
    Result(T value) : data_(std::move(value)) {}
    Result(Error error) : data_(std::move(error)) {}
    Result(const Status& failed) : data_(failed.error()) {}

    bool ok() const noexcept { return data_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    /// Valid only when ok().
    T& value() & { return std::get<0>(data_); }
    const T& value() const& { return std::get<0>(data_); }
    T&& value() && { return std::get<0>(std::move(data_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    /// Valid only when !ok().
    const Error& error() const { return std::get<1>(data_); }
    Status status() const { return ok() ? Status() : Status(error()); }

private:
    std::variant<T, Error> data_;
};

}  // namespace till::sdk
