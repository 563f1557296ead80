#include "replay/line_reader.hpp"

#include <cstring>

namespace kfpevents::replay {

LineReader::Read LineReader::Next(std::string& line) {
  line.clear();
  bool too_long = false;
  bool any = false;
  for (;;) {
    if (next_ == end_) {  // a block at a time: a byte at a time through istream is slow
      const std::streamsize got =
          in_.rdbuf()->sgetn(block_.data(), static_cast<std::streamsize>(block_.size()));
      next_ = 0;
      end_ = got > 0 ? static_cast<std::size_t>(got) : 0;
      if (end_ == 0) break;
    }
    const char* start = block_.data() + next_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - next_));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) : end_ - next_;
    any = true;
    if (!too_long) {
      if (line.size() + length > max_) {
        too_long = true;
        line.clear();
        line.shrink_to_fit();
      } else {
        line.append(start, length);
      }
    }
    next_ += length;
    if (newline != nullptr) {
      ++next_;
      break;
    }
  }
  if (!any) return Read::kEnd;
  ++line_number_;
  if (too_long) return Read::kTooLong;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Read::kLine;
}

}  // namespace kfpevents::replay
