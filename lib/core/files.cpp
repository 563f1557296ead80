#include "core/files.hpp"

#include <sys/stat.h>

#include <fstream>

#include "core/strings.hpp"

namespace kfpevents {

Result<std::string> ReadFile(const std::string& path, const std::string& what,
                             std::size_t max_bytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return Status::InvalidArgument(what + " " + path + " is a directory, not a file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot open " + what + " " + path);
  std::string text;
  char buffer[64 * 1024];
  while (file) {
    file.read(buffer, sizeof(buffer));
    text.append(buffer, static_cast<std::size_t>(file.gcount()));
    if (text.size() > max_bytes) {
      return Status::InvalidArgument(what + " " + path + " is larger than " +
                                     std::to_string(max_bytes) + " bytes");
    }
  }
  if (file.bad()) return Status::InvalidArgument("cannot read " + what + " " + path);
  return text;
}

Result<std::string> ReadValueFile(const std::string& path, const std::string& what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Status::NotFound("cannot open " + what + " " + path);
  if (S_ISDIR(info.st_mode)) {
    return Status::InvalidArgument(what + " " + path +
                                   " is a directory: name the file of one key inside it (a "
                                   "mounted Secret is a directory with a file per key)");
  }
  if (!S_ISREG(info.st_mode)) {
    return Status::InvalidArgument(what + " " + path + " is not a regular file");
  }
  Result<std::string> text = ReadFile(path, what, kMaxValueFileBytes);
  if (!text) return text.error();
  const std::string value(Trim(*text));
  if (value.empty()) return Status::InvalidArgument(what + " " + path + " is empty");
  return value;
}

}  // namespace kfpevents
