#include "kfp/kfp_json.hpp"

#include <filesystem>

#include "core/files.hpp"
#include "core/strings.hpp"
#include "json/json_fields.hpp"

namespace kfpevents::kfp {

std::string Escape(const std::string& text) { return PercentEncode(text, &IsUriUnreserved); }

void WriteString(JsonWriter& writer, const std::string& text) {
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string EqualsFilter(const char* key, const std::string& value, const char* op_name) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("predicates");
  writer.StartArray();
  writer.StartObject();
  writer.Key("key");
  writer.String(key);
  writer.Key(op_name);
  writer.String("EQUALS");
  writer.Key("string_value");
  WriteString(writer, value);
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
  return "filter=" + Escape(buffer.GetString());
}

Result<rapidjson::Document> ParseAnswer(const std::string& body, const char* what) {
  rapidjson::Document document;
  document.Parse(body.c_str(), body.size());
  if (document.HasParseError() || !document.IsObject()) {
    return Status::Unavailable(std::string("the API's answer to ") + what + " is not JSON");
  }
  return document;
}

namespace {

Result<rapidjson::Document> Read(Result<std::string> answer, const char* what) {
  if (!answer) return answer.error();
  return ParseAnswer(*answer, what);
}

}  // namespace

Result<rapidjson::Document> GetJson(const KfpHttp& http, const std::string& path,
                                    const char* what) {
  return Read(http.Get(path), what);
}

Result<rapidjson::Document> PostJson(const KfpHttp& http, const std::string& path,
                                     const std::string& body, const char* what) {
  return Read(http.PostJson(path, body), what);
}

Result<rapidjson::Document> UploadJson(const KfpHttp& http, const std::string& path,
                                       const Upload& upload, const char* what) {
  return Read(http.PostUpload(path, upload), what);
}

std::vector<const rapidjson::Value*> AllWith(const rapidjson::Value& answer, const char* list,
                                             const char* key, const std::string& value) {
  std::vector<const rapidjson::Value*> found;
  const rapidjson::Value* items = json::Member(answer, list);
  if (items == nullptr || !items->IsArray()) return found;
  for (const rapidjson::Value& item : items->GetArray()) {
    if (json::StringMember(item, key) == value) found.push_back(&item);
  }
  return found;
}

const rapidjson::Value* FirstWith(const rapidjson::Value& answer, const char* list, const char* key,
                                  const std::string& value) {
  const std::vector<const rapidjson::Value*> found = AllWith(answer, list, key, value);
  return found.empty() ? nullptr : found.front();
}

std::string ReferenceId(const rapidjson::Value& object, const char* type) {
  const rapidjson::Value* references = json::Member(object, "resource_references");
  if (references == nullptr || !references->IsArray()) return {};
  for (const rapidjson::Value& reference : references->GetArray()) {
    const rapidjson::Value* key = json::ObjectMember(reference, "key");
    if (key != nullptr && json::StringMember(*key, "type") == type) {
      return json::StringMember(*key, "id");
    }
  }
  return {};
}

void WriteReference(JsonWriter& writer, const char* type, const std::string& id,
                    const char* relationship) {
  writer.StartObject();
  writer.Key("key");
  writer.StartObject();
  writer.Key("type");
  writer.String(type);
  writer.Key("id");
  WriteString(writer, id);
  writer.EndObject();
  writer.Key("relationship");
  writer.String(relationship);
  writer.EndObject();
}

Result<KfpPipelineVersion> GetV1PipelineVersion(const KfpHttp& http,
                                                const std::string& version_id) {
  Result<rapidjson::Document> document =
      GetJson(http, "/apis/v1beta1/pipeline_versions/" + Escape(version_id), "the pipeline version");
  if (!document) return document.error();
  return KfpPipelineVersion{json::StringMember(*document, "id"),
                            json::StringMember(*document, "name"),
                            ReferenceId(*document, "PIPELINE"), ""};
}

KfpTypedParameters AsStrings(const KfpParameters& parameters) {
  KfpTypedParameters typed;
  for (const auto& [name, value] : parameters) typed.push_back({name, value});
  return typed;
}

Result<Upload> ReadUpload(const std::string& file) {
  const std::filesystem::path path(file);
  const std::string name = path.filename().string();
  const auto ends_with = [&name](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (!ends_with(".tar.gz") && !ends_with(".tgz") && !ends_with(".zip") && !ends_with(".yaml") &&
      !ends_with(".yml")) {
    return Status::InvalidArgument("pipeline file " + file +
                                   ": must be .tar.gz, .zip or .yaml (a compiled pipeline)");
  }
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Status::InvalidArgument("pipeline file " + file + ": " + error.message());
  if (size > kKfpMaxUploadBytes) {
    return Status::InvalidArgument("pipeline file " + file + " is " + std::to_string(size) +
                                   " bytes; the API takes at most 32 MB");
  }
  Result<std::string> bytes = ReadFile(file, "pipeline file");
  if (!bytes) return bytes.error();
  return Upload{"uploadfile", name, std::move(*bytes)};
}

}  // namespace kfpevents::kfp
