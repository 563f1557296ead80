#include "store/state_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

namespace kfpevents::store {
namespace {

// The lock file holds "<pid>\n<last commit, ms since the epoch>\n", both fixed width, so that
// each commit rewrites it in place with one write. The commit time is the system clock's, like
// every other time the store keeps (a file's own time would also do, but is not always on the
// same clock).
constexpr int kPidWidth = 10;
constexpr int kTimeWidth = 16;

std::string LockText(long pid, std::int64_t commit_ms) {
  char text[64];  // room for any long long
  std::snprintf(text, sizeof(text), "%*ld\n%*lld\n", kPidWidth, pid, kTimeWidth,
                static_cast<long long>(commit_ms));
  return text;
}

// What a lock file holds: the holder's pid ("" when unreadable) and its last commit (0: none).
std::pair<std::string, std::int64_t> ReadLock(int fd) {
  char buffer[64] = {};
  const ssize_t read = pread(fd, buffer, sizeof(buffer) - 1, 0);
  const std::string text(buffer, read > 0 ? static_cast<std::size_t>(read) : 0);
  const std::size_t newline = text.find('\n');
  std::string pid = text.substr(0, newline);
  pid.erase(0, pid.find_first_not_of(' '));
  std::int64_t commit_ms = 0;
  if (newline != std::string::npos) commit_ms = std::atoll(text.c_str() + newline + 1);
  return {pid, commit_ms};
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<StateDirLock> StateDirLock::Acquire(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "state.lock").string();
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::InvalidArgument("state dir " + dir + ": cannot open " + path + ": " +
                                   std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = ReadLock(fd).first;
    close(fd);
    if (error == EWOULDBLOCK) {
      return Status::Unavailable(
          "state dir " + dir + " is in use by another kfp-eventd" +
          (holder.empty() ? "" : " (pid " + holder + ")") +
          ": two daemons on one state dir would both deliver every notification; give each "
          "its own --state-dir (kfp-eventd outbox commands may run beside it)");
    }
    return Status::InvalidArgument("state dir " + dir + ": cannot lock " + path + ": " +
                                   std::strerror(error));
  }
  // The last commit of the process before, kept until this one commits.
  const std::int64_t commit_ms = ReadLock(fd).second;
  std::optional<TimePoint> previous;
  if (commit_ms > 0) {
    previous = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::milliseconds(commit_ms)));
  }
  const std::string text = LockText(getpid(), commit_ms);
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    const int error = errno;
    close(fd);
    return Status::InvalidArgument("state dir " + dir + ": cannot write " + path + ": " +
                                   std::strerror(error));
  }
  return StateDirLock(fd, previous);
}

StateDirLock::StateDirLock(StateDirLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), previous_commit_(other.previous_commit_) {}

StateDirLock& StateDirLock::operator=(StateDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    previous_commit_ = other.previous_commit_;
  }
  return *this;
}

StateDirLock::~StateDirLock() {
  if (fd_ >= 0) close(fd_);
}

void StateDirLock::MarkCommit() const {
  if (fd_ < 0) return;
  const std::string text = LockText(getpid(), NowMs());
  [[maybe_unused]] const ssize_t written = pwrite(fd_, text.data(), text.size(), 0);
}

std::optional<FileIdentity> FileIdentity::Of(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileIdentity{info.st_dev, info.st_ino};
}

}  // namespace kfpevents::store
