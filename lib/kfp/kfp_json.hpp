// What the v1beta1 and v2beta1 clients share: escaping, name filters, reading answers, and
// reading a pipeline file for upload.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "kfp/kfp_http.hpp"

namespace kfpevents::kfp {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::string Escape(const std::string& text);
void WriteString(JsonWriter& writer, const std::string& text);

// "filter=<escaped JSON>" asking for `key` equal to `value`; `op_name` is how the API version
// spells the operation's key ("op" in v1beta1, "operation" in v2beta1).
std::string EqualsFilter(const char* key, const std::string& value, const char* op_name);

// The answer as a JSON object; kUnavailable when it is not one. `what` names the request in
// that error ("the run").
Result<rapidjson::Document> ParseAnswer(const std::string& body, const char* what);

// A request and its answer read as a JSON object.
Result<rapidjson::Document> GetJson(const KfpHttp& http, const std::string& path, const char* what);
Result<rapidjson::Document> PostJson(const KfpHttp& http, const std::string& path,
                                     const std::string& body, const char* what);
Result<rapidjson::Document> UploadJson(const KfpHttp& http, const std::string& path,
                                       const Upload& upload, const char* what);

// Every item of the array `list` whose member `key` is exactly `value` (filters are a hint: an
// older server may ignore them), and the first of them (nullptr when none).
std::vector<const rapidjson::Value*> AllWith(const rapidjson::Value& answer, const char* list,
                                             const char* key, const std::string& value);
const rapidjson::Value* FirstWith(const rapidjson::Value& answer, const char* list, const char* key,
                                  const std::string& value);

// The id of `object`'s v1beta1 resource reference of `type` (PIPELINE, EXPERIMENT, ...); ""
// when absent.
std::string ReferenceId(const rapidjson::Value& object, const char* type);

// {"key":{"type":type,"id":id},"relationship":relationship}
void WriteReference(JsonWriter& writer, const char* type, const std::string& id,
                    const char* relationship);

// GET /apis/v1beta1/pipeline_versions/{id}: the version and the pipeline that owns it. KFP 2.x
// serves v1beta1 too, which is how a version id alone leads to its pipeline there.
Result<KfpPipelineVersion> GetV1PipelineVersion(const KfpHttp& http, const std::string& version_id);

// Every parameter as a string, as KFP 1.x takes them (and KFP 2.x when no types are known).
KfpTypedParameters AsStrings(const KfpParameters& parameters);

// A compiled pipeline to upload: .yaml, .yml, .tar.gz, .tgz or .zip, at most 32 MB (checked
// before reading, so nothing is sent).
Result<Upload> ReadUpload(const std::string& file);

}  // namespace kfpevents::kfp
