// Whole-file reads for configuration, credentials and certificates (all small).
#pragma once

#include <string>

#include "kfpevents/status.hpp"

namespace kfpevents {

// The file's bytes. kNotFound when it cannot be opened, kInvalidArgument when reading fails.
// Messages name `what` and the path, never the content.
Result<std::string> ReadFile(const std::string& path, const std::string& what = "file");

}  // namespace kfpevents
