// Status and Result<T>: how every fallible call in libkfpevents reports failure.
// Nothing in the public API throws for an expected failure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "kfpevents/export.hpp"

namespace kfpevents {

// A closed set: callers may switch over it exhaustively.
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // the input is wrong; retrying the same input fails the same way
  kNotFound,         // the thing asked for does not exist
  kUnavailable,      // a transient failure; retrying later may succeed
  kPermanent,        // the peer refused for good (e.g. HTTP 400); do not retry
  kTimeout,          // a deadline passed
  kCancelled,        // a stop was requested
  kInternal,         // a bug or an unexpected failure (including a caught exception)
};

KFPEVENTS_EXPORT std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) {
    return {ErrorCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Status Permanent(std::string m) { return {ErrorCode::kPermanent, std::move(m)}; }
  static Status Timeout(std::string m) { return {ErrorCode::kTimeout, std::move(m)}; }
  static Status Cancelled(std::string m) { return {ErrorCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not found: workflow kubeflow/x" style, for logs and CLI output.
  KFPEVENTS_EXPORT std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status that explains its absence. Member names follow std::expected so that a
// move to C++23 stays mechanical; unlike std::expected it converts implicitly from a Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT: implicit
    if (std::get<1>(state_).ok()) {
      std::get<1>(state_) = Status::Internal("Result constructed from an OK status without value");
    }
  }

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The failure; only meaningful when !has_value().
  const Status& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace kfpevents
