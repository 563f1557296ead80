#include "json/on_demand.hpp"

#include <cstring>
#include <memory>

namespace kfpevents::json {
namespace {

// Above this, a document's copy and the parser's buffers (several times its size) are freed
// after use rather than kept for the thread's next one.
constexpr std::size_t kKeepUpTo = 1024 * 1024;

struct Scratch {
  od::parser parser;
  simdjson::padded_string copy;
};
thread_local std::unique_ptr<Scratch> scratch;
thread_local int reading = 0;  // documents this thread is reading, one inside another

// `into`'s padded copy of `text` unless `in_place`.
Scratch& Prepare(Scratch& into, std::string_view text, bool in_place) {
  if (in_place) return into;
  // padded_string(n) holds n bytes and the padding after them; a fresh one holds nothing at all.
  if (into.copy.data() == nullptr || into.copy.size() < text.size()) {
    into.copy = simdjson::padded_string(text.size());
  }
  if (!text.empty()) std::memcpy(into.copy.data(), text.data(), text.size());
  std::memset(into.copy.data() + text.size(), 0, kOnDemandPadding);
  return into;
}

Status Describe(simdjson::error_code error, od::document& document, std::string_view text,
                const char* what) {
  std::size_t offset = text.size();
  const char* at = nullptr;
  if (!document.current_location().get(at) && at >= text.data()) {
    offset = std::min<std::size_t>(static_cast<std::size_t>(at - text.data()), text.size());
  }
  return Status::InvalidArgument(std::string(what) + "invalid JSON at offset " +
                                 std::to_string(offset) + ": " + simdjson::error_message(error));
}

Status ReadDocument(Scratch& parsing, std::string_view text, std::size_t capacity, bool in_place,
                    const char* what, const char* not_object, const ObjectReader& read) {
  od::document document;
  simdjson::error_code error =
      in_place
          ? parsing.parser.iterate(text.data(), text.size(), capacity).get(document)
          : parsing.parser
                .iterate(parsing.copy.data(), text.size(), parsing.copy.size() + kOnDemandPadding)
                .get(document);
  if (error) {
    return Status::InvalidArgument(std::string(what) +
                                   "invalid JSON: " + simdjson::error_message(error));
  }
  od::json_type type{};
  error = document.type().get(type);
  if (!error && type != od::json_type::object) {
    return Status::InvalidArgument(std::string(what) + not_object);
  }
  od::value root;
  if (!error) error = document.get_value().get(root);
  if (!error) error = read(root);
  // Once the object is read, a location still inside the text means something follows it.
  const char* after = nullptr;
  if (!error && !document.current_location().get(after)) error = simdjson::TRAILING_CONTENT;
  return error ? Describe(error, document, text, what) : Status::Ok();
}

}  // namespace

Status ReadObjectOnDemand(std::string_view text, std::size_t capacity, const char* what,
                          const char* not_object, const ObjectReader& read) {
  const bool in_place = capacity >= text.size() + kOnDemandPadding;
  struct Reading {
    Reading() { ++reading; }
    ~Reading() { --reading; }
  };
  if (reading > 0) {
    // A document read inside another (Argo's compressedNodes, inflated while its Workflow is
    // read): the thread's parser is busy with the outer one, so this one gets its own.
    const Reading nested_reading;
    Scratch nested;
    return ReadDocument(Prepare(nested, text, in_place), text, capacity, in_place, what, not_object,
                        read);
  }
  if (!scratch) scratch = std::make_unique<Scratch>();
  Status status;
  {
    const Reading outer_reading;
    status = ReadDocument(Prepare(*scratch, text, in_place), text, capacity, in_place, what,
                          not_object, read);
  }
  if (text.size() > kKeepUpTo) scratch.reset();  // its buffers are several times the text
  return status;
}

simdjson::error_code TypeIs(od::value value, od::json_type type, bool& is) {
  od::json_type actual{};
  SIMDJSON_TRY(value.type().get(actual));
  is = actual == type;
  return simdjson::SUCCESS;
}

simdjson::error_code ReadString(od::value value, std::string& out) {
  bool string = false;
  SIMDJSON_TRY(TypeIs(value, od::json_type::string, string));
  if (!string) return simdjson::SUCCESS;
  std::string_view text;
  SIMDJSON_TRY(value.get_string().get(text));
  out.assign(text);
  return simdjson::SUCCESS;
}

}  // namespace kfpevents::json
