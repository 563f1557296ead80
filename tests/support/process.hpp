// Runs a program (the real kfp-eventd) and captures its exit code, stdout and stderr.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace kfpevents::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when it did not exit normally (killed, timed out)
  std::string out;
  std::string err;
};

// Runs `argv` with `stdin_text` on its standard input; kills it after `timeout`.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                         std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace kfpevents::testing
