// Whole-file reads for configuration, credentials and certificates (all small), bounded so that
// a wrong path (/dev/zero, a huge file) is an error rather than all the memory there is.
#pragma once

#include <cstddef>
#include <string>

#include "kfpevents/status.hpp"

namespace kfpevents {

inline constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxValueFileBytes = 64 * 1024;

// The file's bytes. kNotFound when it cannot be opened; kInvalidArgument when it is a directory,
// holds more than `max_bytes`, or reading fails. Messages name `what` and the path, never the
// content.
Result<std::string> ReadFile(const std::string& path, const std::string& what = "file",
                             std::size_t max_bytes = kMaxFileBytes);

// A secret or a header value kept in a file (a key of a mounted Secret): a regular file of at
// most 64 KiB that is not empty once surrounding whitespace is trimmed; returned trimmed.
// kInvalidArgument says which of these it is not (a directory: probably the Secret's mount point
// rather than one of its keys).
Result<std::string> ReadValueFile(const std::string& path, const std::string& what);

}  // namespace kfpevents
