#include "core/files.hpp"

#include <fstream>
#include <sstream>

namespace kfpevents {

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot open " + what + " " + path);
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return Status::InvalidArgument("cannot read " + what + " " + path);
  return text.str();
}

}  // namespace kfpevents
