// Lenient, assert-free reads of RapidJSON values: a missing or mistyped field reads as empty.
// Every accessor checks the type first, so untrusted input can never trip RAPIDJSON_ASSERT.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <string>

namespace kfpevents::json {

// The member `key` of `object` if `object` is an object that has it, else nullptr.
const rapidjson::Value* Member(const rapidjson::Value& object, const char* key);
// The member as an object, or nullptr when absent or not an object.
const rapidjson::Value* ObjectMember(const rapidjson::Value& object, const char* key);
// The member as a string; "" when absent, null or not a string.
std::string StringMember(const rapidjson::Value& object, const char* key);
// The member as an integer; `fallback` when absent or not an integer.
std::int64_t IntMember(const rapidjson::Value& object, const char* key, std::int64_t fallback);
// A map of string to string (labels, annotations); non-string values are skipped.
std::map<std::string, std::string> StringMapMember(const rapidjson::Value& object, const char* key);
// `value` as compact JSON text.
std::string CompactJson(const rapidjson::Value& value);
// "line 1, offset 17: Missing a name for object member." style description of a parse error.
std::string DescribeParseError(const rapidjson::Document& document);

}  // namespace kfpevents::json
