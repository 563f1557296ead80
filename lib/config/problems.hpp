// Collects configuration problems so that every one is reported, not only the first.
#pragma once

#include <string>
#include <vector>

#include "kfpevents/status.hpp"

namespace kfpevents::config {

class Problems {
 public:
  explicit Problems(std::string source) : source_(std::move(source)) {}

  // `line` and `column` are 1-based; 0 leaves them out.
  void Add(int line, int column, const std::string& path, const std::string& what);
  bool empty() const { return lines_.empty(); }
  // kInvalidArgument with one problem per line, or OK when there were none.
  Status ToStatus() const;

 private:
  std::string source_;
  std::vector<std::string> lines_;
};

}  // namespace kfpevents::config
