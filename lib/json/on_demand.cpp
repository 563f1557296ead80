#include "json/on_demand.hpp"

#include <cstring>
#include <memory>

namespace kfpevents::json {
namespace {

// Above this, a document's copy and the parser's buffers (several times its size) are freed
// after use rather than kept for the thread's next one.
constexpr std::size_t kKeepUpTo = 1024 * 1024;

thread_local std::unique_ptr<internal::OnDemandScratch> scratch;

}  // namespace

Status DescribeOnDemandError(simdjson::error_code error, od::document& document,
                             std::string_view text, const char* what) {
  std::size_t offset = text.size();
  const char* at = nullptr;
  if (!document.current_location().get(at) && at >= text.data()) {
    offset = std::min<std::size_t>(static_cast<std::size_t>(at - text.data()), text.size());
  }
  return Status::InvalidArgument(std::string(what) + "invalid JSON at offset " +
                                 std::to_string(offset) + ": " + simdjson::error_message(error));
}

simdjson::error_code ReadString(od::value value, std::string& out) {
  od::json_type type{};
  SIMDJSON_TRY(value.type().get(type));
  if (type != od::json_type::string) return simdjson::SUCCESS;
  std::string_view text;
  SIMDJSON_TRY(value.get_string().get(text));
  out.assign(text);
  return simdjson::SUCCESS;
}

namespace internal {

OnDemandScratch& ScratchFor(std::string_view text, bool in_place) {
  if (!scratch) scratch = std::make_unique<OnDemandScratch>();
  if (in_place) return *scratch;
  // padded_string(n) holds n bytes and the padding after them; a fresh one holds nothing at all.
  if (scratch->copy.data() == nullptr || scratch->copy.size() < text.size()) {
    scratch->copy = simdjson::padded_string(text.size());
  }
  if (!text.empty()) std::memcpy(scratch->copy.data(), text.data(), text.size());
  std::memset(scratch->copy.data() + text.size(), 0, kOnDemandPadding);
  return *scratch;
}

void ReleaseLargeScratch(std::size_t text_size) {
  // The parser's buffers are several times the largest text it read.
  if (text_size > kKeepUpTo) scratch.reset();
}

}  // namespace internal
}  // namespace kfpevents::json
