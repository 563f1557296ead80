// gzip decompression with a ceiling, for data a cluster hands us: Argo's status.compressedNodes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents {

// The bytes that the gzip stream (one or more members) `compressed` holds. kInvalidArgument when
// it is not gzip, is cut short, or would inflate past `max_bytes`: the inflation stops there, so
// a small hostile input cannot take more memory than that.
Result<std::string> Gunzip(std::string_view compressed, std::size_t max_bytes);

}  // namespace kfpevents
