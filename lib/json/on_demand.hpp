// simdjson's on-demand reader, for the large documents of which only a few fields matter
// (Workflows of up to megabytes). Only what is asked for is decoded: the rest is skipped by its
// structure, so a value never read is not checked beyond its brackets and strings.
#pragma once

#include <simdjson.h>

#include <functional>
#include <string>
#include <string_view>

#include "kfpevents/status.hpp"

namespace kfpevents::json {

namespace od = simdjson::ondemand;

// simdjson reads up to this many bytes past the end of a text (never using them).
inline constexpr std::size_t kOnDemandPadding = simdjson::SIMDJSON_PADDING;

// Reads the object a text holds; an error_code stops the reading.
using ObjectReader = std::function<simdjson::error_code(od::value object)>;

// Parses `text`, which must hold one JSON object (else kInvalidArgument `not_object`), and hands
// the object to `read`; then checks that nothing follows it. Errors are prefixed with `what`
// ("invalid JSON at offset N: <simdjson's reason>"). `capacity` is how many bytes are allocated
// at text.data(): with kOnDemandPadding to spare the text is read in place, else from a padded
// copy. The parser and the copy are per thread and reused, but given back after a document over
// a megabyte.
Status ReadObjectOnDemand(std::string_view text, std::size_t capacity, const char* what,
                          const char* not_object, const ObjectReader& read);

// Sets `is` to whether `value` is of `type`.
simdjson::error_code TypeIs(od::value value, od::json_type type, bool& is);

// Hands each member of the object `value` to `member(key, value)` (error_code(string_view,
// od::value)); a value of another type has no members to read and is passed over, as summaries
// ignore what they cannot use.
template <typename Member>
simdjson::error_code ForEachMember(od::value value, Member&& member) {
  bool object = false;
  SIMDJSON_TRY(TypeIs(value, od::json_type::object, object));
  if (!object) return simdjson::SUCCESS;
  od::object members;
  SIMDJSON_TRY(value.get_object().get(members));
  for (auto field : members) {
    std::string_view key;
    SIMDJSON_TRY(field.unescaped_key().get(key));
    od::value child;
    SIMDJSON_TRY(field.value().get(child));
    SIMDJSON_TRY(member(key, child));
  }
  return simdjson::SUCCESS;
}

// The same for each element of the array `value` (error_code(od::value)).
template <typename Element>
simdjson::error_code ForEachElement(od::value value, Element&& element) {
  bool array = false;
  SIMDJSON_TRY(TypeIs(value, od::json_type::array, array));
  if (!array) return simdjson::SUCCESS;
  od::array elements;
  SIMDJSON_TRY(value.get_array().get(elements));
  for (auto item : elements) {
    od::value child;
    SIMDJSON_TRY(item.get(child));
    SIMDJSON_TRY(element(child));
  }
  return simdjson::SUCCESS;
}

// `out` becomes the string `value`; a value of another type leaves it as it was.
simdjson::error_code ReadString(od::value value, std::string& out);

}  // namespace kfpevents::json
