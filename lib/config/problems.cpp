#include "config/problems.hpp"

namespace kfpevents::config {

void Problems::Add(int line, int column, const std::string& path, const std::string& what) {
  std::string text = source_;
  if (line > 0) text += ":" + std::to_string(line);
  if (line > 0 && column > 0) text += ":" + std::to_string(column);
  text += ": ";
  if (!path.empty()) text += path + ": ";
  text += what;
  lines_.push_back(std::move(text));
}

Status Problems::ToStatus() const {
  if (lines_.empty()) return Status::Ok();
  std::string message;
  for (const std::string& line : lines_) {
    if (!message.empty()) message += '\n';
    message += line;
  }
  return Status::InvalidArgument(std::move(message));
}

}  // namespace kfpevents::config
