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

// A program left running (the kfp-eventd daemon) with its output going to files, so a test can
// watch its log while it runs and then stop it with a signal.
class BackgroundProcess {
 public:
  // Starts `argv` with `env` added to the environment (NAME=value entries).
  explicit BackgroundProcess(const std::vector<std::string>& argv,
                             const std::vector<std::string>& env = {});
  ~BackgroundProcess();  // kills it if it still runs
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  std::string Stdout() const;
  std::string Stderr() const;
  // Waits until standard error contains `text`; false after `timeout`.
  bool WaitForStderr(const std::string& text, std::chrono::milliseconds timeout) const;
  // Waits until standard output holds at least `count` lines; false after `timeout`.
  bool WaitForStdoutLines(std::size_t count, std::chrono::milliseconds timeout) const;
  // Sends `signal` and waits up to `timeout` for the exit: the exit code, or -1 if it did not
  // exit normally in time (it is then killed).
  int Stop(int signal, std::chrono::milliseconds timeout);

  struct ExitStatus {
    bool exited = false;  // false: still running after the timeout
    int code = -1;        // the exit code when it exited normally
    int signal = 0;       // the signal that ended it, 0 when none did
  };
  // Waits up to `timeout` for the process to end on its own.
  ExitStatus WaitForExit(std::chrono::milliseconds timeout);

 private:
  int pid_ = -1;
  std::string out_path_;
  std::string err_path_;
  bool exited_ = false;
};

}  // namespace kfpevents::testing
