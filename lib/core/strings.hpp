// Small string helpers shared across lib/.
#pragma once

#include <string_view>

namespace kfpevents {

// `text` without leading and trailing characters from `whitespace`.
std::string_view Trim(std::string_view text, std::string_view whitespace = " \t\r\n");

}  // namespace kfpevents
