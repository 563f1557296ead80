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

// Parses `text`, which must hold one JSON object (else kInvalidArgument `not_object`), and hands
// the object to `read` (error_code read(od::value)); then checks that nothing follows it. Errors
// are prefixed with `what`. The parser and the padded copy simdjson needs are per thread
// and reused, but given back after a document larger than a few megabytes.
template <typename Read>
Status ReadObjectOnDemand(std::string_view text, const char* what, const char* not_object,
                          Read&& read);

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
// This thread's parser, holding a padded copy of `text`.
OnDemandScratch& ScratchFor(std::string_view text);
// Releases what ScratchFor kept when the text was large.
void ReleaseLargeScratch(OnDemandScratch& scratch);
}  // namespace internal

template <typename Read>
Status ReadObjectOnDemand(std::string_view text, const char* what, const char* not_object,
                          Read&& read) {
  internal::OnDemandScratch& scratch = internal::ScratchFor(text);
  od::document document;
  simdjson::error_code error = scratch.parser
                                   .iterate(scratch.copy.data(), text.size(),
                                            scratch.copy.size() + simdjson::SIMDJSON_PADDING)
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
  internal::ReleaseLargeScratch(scratch);
  return status;
}

}  // namespace kfpevents::json
