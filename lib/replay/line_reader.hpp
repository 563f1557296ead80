// Reads lines of bounded length from a stream: an over-long line is reported, not buffered.
// Reads the stream in blocks of its own (it owns what it has read ahead).
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace kfpevents::replay {

class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_line_bytes)
      : in_(in), max_(max_line_bytes), block_(64 * 1024) {}

  enum class Read { kLine, kTooLong, kEnd };
  // kLine: `line` holds the next line without its '\n' (and without a trailing '\r').
  // kTooLong: the line exceeded the limit and was skipped up to its end. kEnd: no more input.
  Read Next(std::string& line);
  // The 1-based number of the line last returned.
  std::size_t line_number() const { return line_number_; }

 private:
  std::istream& in_;
  const std::size_t max_;
  std::size_t line_number_ = 0;
  std::vector<char> block_;  // read ahead: [next_, end_) is not consumed yet
  std::size_t next_ = 0;
  std::size_t end_ = 0;
};

}  // namespace kfpevents::replay
