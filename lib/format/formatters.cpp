#include "kfpevents/formatters.hpp"

#include <string>

namespace kfpevents {

std::vector<std::string> BuiltinFormatNames() {
  return {"kfp", "kfp-extended", "cloudevents", "cloudevents-binary"};
}

Result<std::unique_ptr<MessageFormatter>> MakeFormatter(std::string_view name) {
  if (name == "kfp") return MakeKfpFormatter();
  if (name == "kfp-extended") return MakeKfpExtendedFormatter();
  if (name == "cloudevents") return MakeCloudEventsFormatter(CloudEventsMode::kStructured);
  if (name == "cloudevents-binary") return MakeCloudEventsFormatter(CloudEventsMode::kBinary);
  std::string known;
  for (const std::string& builtin : BuiltinFormatNames()) {
    known += known.empty() ? builtin : ", " + builtin;
  }
  return Status::InvalidArgument("unknown format \"" + std::string(name) + "\" (known: " + known +
                                 ")");
}

}  // namespace kfpevents
