#include "json/json_fields.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kfpevents::json {

const rapidjson::Value* Member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

const rapidjson::Value* ObjectMember(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = Member(object, key);
  return value != nullptr && value->IsObject() ? value : nullptr;
}

std::string StringMember(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value* value = Member(object, key);
  if (value == nullptr || !value->IsString()) return {};
  return std::string(value->GetString(), value->GetStringLength());
}

std::int64_t IntMember(const rapidjson::Value& object, const char* key, std::int64_t fallback) {
  const rapidjson::Value* value = Member(object, key);
  return value != nullptr && value->IsInt64() ? value->GetInt64() : fallback;
}

std::map<std::string, std::string> StringMapMember(const rapidjson::Value& object,
                                                   const char* key) {
  std::map<std::string, std::string> out;
  const rapidjson::Value* map = ObjectMember(object, key);
  if (map == nullptr) return out;
  for (const auto& entry : map->GetObject()) {
    if (!entry.value.IsString()) continue;
    out.emplace(std::string(entry.name.GetString(), entry.name.GetStringLength()),
                std::string(entry.value.GetString(), entry.value.GetStringLength()));
  }
  return out;
}

std::string CompactJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string DescribeParseError(const rapidjson::Document& document) {
  return std::string("invalid JSON at offset ") + std::to_string(document.GetErrorOffset()) + ": " +
         rapidjson::GetParseError_En(document.GetParseError());
}

}  // namespace kfpevents::json
