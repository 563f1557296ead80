#include "kube/line_splitter.hpp"

namespace kfpevents::kube {

LineSplitter::LineSplitter(std::size_t max_line_bytes,
                           std::function<bool(std::string_view)> on_line,
                           std::function<void(std::size_t)> on_too_long)
    : max_line_bytes_(max_line_bytes),
      on_line_(std::move(on_line)),
      on_too_long_(std::move(on_too_long)) {}

bool LineSplitter::Feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, newline);
    const bool complete = newline != std::string_view::npos;
    chunk = complete ? chunk.substr(newline + 1) : std::string_view();

    if (discarding_ > 0 || pending_.size() + piece.size() > max_line_bytes_) {
      discarding_ += pending_.size() + piece.size();
      pending_.clear();
      if (complete) {
        on_too_long_(discarding_);
        discarding_ = 0;
      }
      continue;
    }
    if (!complete) {
      pending_.append(piece);
      continue;
    }
    bool go_on = true;
    if (pending_.empty()) {
      go_on = Emit(piece);  // the common case: a whole line inside one chunk, no copy
    } else {
      pending_.append(piece);
      go_on = Emit(pending_);
      pending_.clear();
    }
    if (!go_on) return false;
  }
  return true;
}

bool LineSplitter::Emit(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return true;
  return on_line_(line);
}

}  // namespace kfpevents::kube
