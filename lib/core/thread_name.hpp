// Names the calling thread, as `top -H`, `ps -L`, gdb and perf show it: "kfp-deliver" rather
// than a second "kfp-eventd". Linux keeps 15 bytes of a name; the rest is cut.
#pragma once

#include <string_view>

namespace kfpevents {

void NameThisThread(std::string_view name);

}  // namespace kfpevents
