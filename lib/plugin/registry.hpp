// Lookups in the Tier 1 registry, for configuration and formatters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/extensions.hpp"

namespace kfpevents::plugin {

SubscriberFactory RegisteredSubscriberType(std::string_view type);  // null when unknown
FormatterFactory RegisteredFormat(std::string_view name);           // null when unknown
std::vector<std::string> RegisteredFormatNames();

}  // namespace kfpevents::plugin
