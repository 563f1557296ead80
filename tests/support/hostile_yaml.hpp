// Hostile configuration for the tests that check it is refused.
#pragma once

#include <string>

namespace kfpevents::testing {

// "Billion laughs": YAML anchors a to i, each a list of ten aliases of the one before, so that
// nine short lines stand for 10^9 nodes. Top-level keys a to i; a configuration can follow.
inline std::string AliasBombYaml() {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    const char previous = static_cast<char>(level - 1);
    yaml += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) yaml += std::string(i ? ", *" : "*") + previous;
    yaml += "]\n";
  }
  return yaml;
}

}  // namespace kfpevents::testing
