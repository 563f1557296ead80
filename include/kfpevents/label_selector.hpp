// Kubernetes label selectors ("team=ml,env!=dev,tier in (a,b),!legacy"), for filtering
// notifications by their workflow's labels.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

class KFPEVENTS_EXPORT LabelSelector {
 public:
  LabelSelector() = default;  // empty: matches everything

  // The Kubernetes syntax: comma-separated requirements `key`, `!key`, `key=value`,
  // `key==value`, `key!=value`, `key in (v1,v2)`, `key notin (v1,v2)`. Errors
  // (kInvalidArgument) name the requirement that is wrong.
  static Result<LabelSelector> Parse(std::string_view text);

  // As Kubernetes matches: every requirement holds. `!=` and `notin` hold when the key is absent.
  bool Matches(const std::map<std::string, std::string>& labels) const;
  bool empty() const { return requirements_.empty(); }
  const std::string& text() const { return text_; }

 private:
  enum class Op { kExists, kNotExists, kIn, kNotIn };  // = is kIn with one value, != kNotIn
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
  std::string text_;
};

}  // namespace kfpevents
