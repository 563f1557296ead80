#include <string>

#include "kfpevents/formatters.hpp"

namespace kfpevents {

std::vector<std::string> BuiltinFormatNames() { return {"kfp"}; }

Result<std::unique_ptr<MessageFormatter>> MakeFormatter(std::string_view name) {
  if (name == "kfp") return MakeKfpFormatter();
  std::string known;
  for (const std::string& builtin : BuiltinFormatNames()) {
    known += known.empty() ? builtin : ", " + builtin;
  }
  return Status::InvalidArgument("unknown format \"" + std::string(name) + "\" (known: " + known +
                                 ")");
}

}  // namespace kfpevents
