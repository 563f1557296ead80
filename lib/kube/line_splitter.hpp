// Splits a chunked watch response into lines: chunk boundaries fall anywhere, a line may span
// many chunks, and a line longer than the cap is dropped (and reported) without being buffered.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kfpevents::kube {

class LineSplitter {
 public:
  // `on_line` gets each complete line without its "\n" (nor a "\r" before it) and returns false
  // to stop feeding; `on_too_long` gets the size of each line over the cap.
  LineSplitter(std::size_t max_line_bytes, std::function<bool(std::string_view)> on_line,
               std::function<void(std::size_t)> on_too_long);

  // False once `on_line` asked to stop; the rest of `chunk` is then left unread.
  bool Feed(std::string_view chunk);

 private:
  bool Emit(std::string_view line);

  std::size_t max_line_bytes_;
  std::function<bool(std::string_view)> on_line_;
  std::function<void(std::size_t)> on_too_long_;
  std::string pending_;         // the start of a line whose end has not arrived
  std::size_t discarding_ = 0;  // > 0: inside an over-long line, this many bytes dropped so far
};

}  // namespace kfpevents::kube
