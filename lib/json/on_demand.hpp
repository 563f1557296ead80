// simdjson's on-demand reader, for the large documents of which only a few fields matter
// (Workflows of up to megabytes). Only what is asked for is decoded: the rest is skipped by its
// structure, so a value never read is not checked beyond its brackets and strings.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::json {

namespace od = simdjson::ondemand;

// "invalid JSON at offset N: <simdjson's reason>" for an error met while reading `document`.
Status DescribeOnDemandError(simdjson::error_code error, od::document& document,
                             std::string_view text, const char* what);

// simdjson reads up to this many bytes past the end of a text (never using them).
inline constexpr std::size_t kOnDemandPadding = simdjson::SIMDJSON_PADDING;

// Parses `text`, which must hold one JSON object (else kInvalidArgument `not_object`), and hands
// the object to `read` (error_code read(od::value)); then checks that nothing follows it. Errors
// are prefixed with `what`. `capacity` is how many bytes are allocated at text.data(): with
// kOnDemandPadding to spare the text is read in place, else from a padded copy. The parser and
// the copy are per thread and reused, but given back after a document over a megabyte.
template <typename Read>
Status ReadObjectOnDemand(std::string_view text, std::size_t capacity, const char* what,
                          const char* not_object, Read&& read);

// Hands each member of the object `value` to `member(key, value)` (error_code(string_view,
// od::value)); a value of another type has no members to read and is passed over, as summaries
// ignore what they cannot use.
template <typename Member>
simdjson::error_code ForEachMember(od::value value, Member&& member) {
  od::json_type type{};
  SIMDJSON_TRY(value.type().get(type));
  if (type != od::json_type::object) return simdjson::SUCCESS;
  od::object object;
  SIMDJSON_TRY(value.get_object().get(object));
  for (auto field : object) {
    std::string_view key;
    SIMDJSON_TRY(field.unescaped_key().get(key));
    od::value child;
    SIMDJSON_TRY(field.value().get(child));
    SIMDJSON_TRY(member(key, child));
  }
  return simdjson::SUCCESS;
}

// `out` becomes the string `value`; a value of another type leaves it as it was.
simdjson::error_code ReadString(od::value value, std::string& out);

namespace internal {
struct OnDemandScratch {
  od::parser parser;
  simdjson::padded_string copy;
};
// This thread's parser, and its padded copy of `text` unless `in_place`.
OnDemandScratch& ScratchFor(std::string_view text, bool in_place);
// Gives back what ScratchFor kept when the text was large.
void ReleaseLargeScratch(std::size_t text_size);
}  // namespace internal

template <typename Read>
Status ReadObjectOnDemand(std::string_view text, std::size_t capacity, const char* what,
                          const char* not_object, Read&& read) {
  const bool in_place = capacity >= text.size() + kOnDemandPadding;
  internal::OnDemandScratch& scratch = internal::ScratchFor(text, in_place);
  od::document document;
  simdjson::error_code error =
      in_place
          ? scratch.parser.iterate(text.data(), text.size(), capacity).get(document)
          : scratch.parser
                .iterate(scratch.copy.data(), text.size(), scratch.copy.size() + kOnDemandPadding)
                .get(document);
  Status status;
  if (error) {
    status = Status::InvalidArgument(std::string(what) +
                                     "invalid JSON: " + simdjson::error_message(error));
  } else {
    od::json_type type{};
    error = document.type().get(type);
    if (!error && type != od::json_type::object) {
      status = Status::InvalidArgument(std::string(what) + not_object);
    } else {
      od::value root;
      if (!error) error = document.get_value().get(root);
      if (!error) error = read(root);
      // Once the object is read, a location still inside the text means something follows it.
      const char* after = nullptr;
      if (!error && !document.current_location().get(after)) error = simdjson::TRAILING_CONTENT;
      if (error) status = DescribeOnDemandError(error, document, text, what);
    }
  }
  internal::ReleaseLargeScratch(text.size());
  return status;
}

}  // namespace kfpevents::json
