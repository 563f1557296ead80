#include "replay/line_reader.hpp"

namespace kfpevents::replay {

LineReader::Read LineReader::Next(std::string& line) {
  line.clear();
  bool too_long = false;
  bool any = false;
  char c = 0;
  while (in_.get(c)) {
    any = true;
    if (c == '\n') break;
    if (too_long) continue;
    if (line.size() >= max_) {
      too_long = true;
      line.clear();
      line.shrink_to_fit();
      continue;
    }
    line += c;
  }
  if (!any) return Read::kEnd;
  ++line_number_;
  if (too_long) return Read::kTooLong;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Read::kLine;
}

}  // namespace kfpevents::replay
