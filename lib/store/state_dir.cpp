#include "store/state_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace kfpevents::store {
namespace {

TimePoint FromTimespec(const timespec& time) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(time.tv_sec) + std::chrono::nanoseconds(time.tv_nsec)));
}

// The pid a lock file holds, as text ("" when unreadable).
std::string HolderOf(int fd) {
  char buffer[32] = {};
  const ssize_t read = pread(fd, buffer, sizeof(buffer) - 1, 0);
  std::string pid(buffer, read > 0 ? static_cast<std::size_t>(read) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

}  // namespace

Result<StateDirLock> StateDirLock::Acquire(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "state.lock").string();
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::InvalidArgument("state dir " + dir + ": cannot open " + path + ": " +
                                   std::strerror(errno));
  }
  struct stat before {};
  fstat(fd, &before);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = HolderOf(fd);
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
  // A file with a pid in it was written by an earlier process: its time is that one's last
  // commit. Read it before this process writes its own pid.
  std::optional<TimePoint> previous;
  if (before.st_size > 0) previous = FromTimespec(before.st_mtim);
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    close(fd);
    return Status::InvalidArgument("state dir " + dir + ": cannot write " + path + ": " +
                                   std::strerror(error));
  }
  // Writing the pid moved the file's time; put the previous commit's time back until this
  // process commits.
  if (previous) {
    const timespec times[2] = {before.st_atim, before.st_mtim};
    futimens(fd, times);
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
  if (fd_ >= 0) futimens(fd_, nullptr);
}

std::optional<FileIdentity> FileIdentity::Of(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileIdentity{info.st_dev, info.st_ino};
}

}  // namespace kfpevents::store
