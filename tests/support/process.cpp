#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace kfpevents::testing {
namespace {

// argv and envp for execve, made before fork(): the tests fork from threaded processes, where the
// child may touch nothing but async-signal-safe calls. An allocation there can wait forever on a
// lock another thread held at the fork (ASan's allocator made that a 60 s hang of openssl).
struct ExecArgs {
  ExecArgs(const std::vector<std::string>& arguments, const std::vector<std::string>& env)
      : extra_env(env) {
    for (const std::string& arg : arguments) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string_view name = std::string_view(*entry).substr(0, std::strcspn(*entry, "="));
      const bool overridden = std::any_of(env.begin(), env.end(), [&](const std::string& e) {
        return e.size() > name.size() && e.compare(0, name.size(), name) == 0 &&
               e[name.size()] == '=';
      });
      if (!overridden) envp.push_back(*entry);
    }
    for (std::string& entry : extra_env) envp.push_back(entry.data());
    envp.push_back(nullptr);
  }

  std::vector<std::string> extra_env;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_text,
                         std::chrono::seconds timeout) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    throw std::runtime_error("pipe() failed");
  }
  ExecArgs exec(argv, {});
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork() failed");
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    execve(exec.argv[0], exec.argv.data(), exec.envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  signal(SIGPIPE, SIG_IGN);
  if (!stdin_text.empty()) {
    (void)!write(in_pipe[1], stdin_text.data(), stdin_text.size());
  }
  close(in_pipe[1]);

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  bool killed = false;
  while (open_count > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = (!killed && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return result;
}

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls `path` until `done(content)`: a file written by another process offers nothing to wait on.
bool WaitForFile(const std::string& path, const std::function<bool(const std::string&)>& done,
                 std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done(ReadAll(path))) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& env) {
  char pattern[] = "/tmp/kfpevents-process-XXXXXX";
  const char* dir = mkdtemp(pattern);
  if (dir == nullptr) throw std::runtime_error("mkdtemp failed");
  out_path_ = std::string(dir) + "/stdout";
  err_path_ = std::string(dir) + "/stderr";
  ExecArgs exec(argv, env);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork() failed");
  if (pid_ == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(exec.argv[0], exec.argv.data(), exec.envp.data());
    _exit(127);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (!exited_) Stop(SIGKILL, std::chrono::seconds(10));
  std::filesystem::remove_all(std::filesystem::path(out_path_).parent_path());
}

std::string BackgroundProcess::Stdout() const { return ReadAll(out_path_); }
std::string BackgroundProcess::Stderr() const { return ReadAll(err_path_); }

bool BackgroundProcess::WaitForStderr(const std::string& text,
                                      std::chrono::milliseconds timeout) const {
  return WaitForFile(
      err_path_, [&](const std::string& err) { return err.find(text) != std::string::npos; },
      timeout);
}

bool BackgroundProcess::WaitForStdoutLines(std::size_t count,
                                           std::chrono::milliseconds timeout) const {
  return WaitForFile(
      out_path_,
      [&](const std::string& out) {
        return static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')) >= count;
      },
      timeout);
}

int BackgroundProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (exited_) return -1;
  kill(pid_, signal);
  const ExitStatus status = WaitForExit(timeout);
  if (!status.exited) {
    kill(pid_, SIGKILL);
    int ignored = 0;
    waitpid(pid_, &ignored, 0);
    exited_ = true;
  }
  return status.signal == 0 ? status.code : -1;
}

BackgroundProcess::ExitStatus BackgroundProcess::WaitForExit(std::chrono::milliseconds timeout) {
  if (exited_) return {};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() >= deadline) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  exited_ = true;
  if (WIFSIGNALED(status)) return {true, -1, WTERMSIG(status)};
  return {true, WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0};
}

}  // namespace kfpevents::testing
