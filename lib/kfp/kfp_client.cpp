// The KFP v1beta1 REST API: what each call sends and how its answer is read.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <thread>

#include "core/files.hpp"
#include "core/sleep.hpp"
#include "core/strings.hpp"
#include "http/url.hpp"
#include "json/json_fields.hpp"
#include "kfp/kfp_http.hpp"
#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

using json::ObjectMember;
using json::StringMember;

std::string Escape(const std::string& text) { return PercentEncode(text, &IsUriUnreserved); }

// ?filter= for "name equals `name`", as v1beta1 spells it.
std::string NameFilter(const std::string& name) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("predicates");
  writer.StartArray();
  writer.StartObject();
  writer.Key("key");
  writer.String("name");
  writer.Key("op");
  writer.String("EQUALS");
  writer.Key("string_value");
  writer.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
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

KfpPipeline PipelineFrom(const rapidjson::Value& object) {
  KfpPipeline pipeline{StringMember(object, "id"), StringMember(object, "name"), ""};
  if (const rapidjson::Value* version = ObjectMember(object, "default_version")) {
    pipeline.default_version_id = StringMember(*version, "id");
  }
  return pipeline;
}

// The id of the resource reference of `type` (PIPELINE, EXPERIMENT, ...), "" when absent.
std::string ReferenceId(const rapidjson::Value& object, const char* type) {
  const rapidjson::Value* references = json::Member(object, "resource_references");
  if (references == nullptr || !references->IsArray()) return {};
  for (const rapidjson::Value& reference : references->GetArray()) {
    const rapidjson::Value* key = ObjectMember(reference, "key");
    if (key != nullptr && StringMember(*key, "type") == type) return StringMember(*key, "id");
  }
  return {};
}

KfpRun RunFrom(const rapidjson::Value& answer) {
  const rapidjson::Value* run = ObjectMember(answer, "run");
  const rapidjson::Value& object = run != nullptr ? *run : answer;
  return {StringMember(object, "id"), StringMember(object, "name"), StringMember(object, "status"),
          StringMember(object, "error")};
}

// The first item of `list` in the answer whose name is exactly `name` (filters are a hint:
// an older server may ignore them).
const rapidjson::Value* FirstNamed(const rapidjson::Value& answer, const char* list,
                                   const std::string& name) {
  const rapidjson::Value* items = json::Member(answer, list);
  if (items == nullptr || !items->IsArray()) return nullptr;
  for (const rapidjson::Value& item : items->GetArray()) {
    if (StringMember(item, "name") == name) return &item;
  }
  return nullptr;
}

class V1Client final : public KfpClient {
 public:
  explicit V1Client(KfpClientOptions options) : http_(std::move(options)) {}

  Result<KfpPipeline> UploadPipeline(const std::string& file, const std::string& name,
                                     const std::string& description) override {
    Result<kfp::Upload> upload = ReadUpload(file);
    if (!upload) return upload.error();
    std::string query = "/apis/v1beta1/pipelines/upload?name=" + Escape(name);
    if (!description.empty()) query += "&description=" + Escape(description);
    Result<std::string> answer = http_.PostUpload(query, *upload);
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the upload");
    if (!document) return document.error();
    return PipelineFrom(*document);
  }

  Result<KfpPipelineVersion> UploadPipelineVersion(const std::string& file,
                                                   const std::string& pipeline_id,
                                                   const std::string& version_name) override {
    Result<kfp::Upload> upload = ReadUpload(file);
    if (!upload) return upload.error();
    Result<std::string> answer =
        http_.PostUpload("/apis/v1beta1/pipelines/upload_version?name=" + Escape(version_name) +
                             "&pipelineid=" + Escape(pipeline_id),
                         *upload);
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the version upload");
    if (!document) return document.error();
    KfpPipelineVersion version{StringMember(*document, "id"), StringMember(*document, "name"),
                               ReferenceId(*document, "PIPELINE")};
    if (version.pipeline_id.empty()) version.pipeline_id = pipeline_id;
    return version;
  }

  Result<std::optional<KfpPipeline>> FindPipeline(const std::string& name) override {
    Result<std::string> answer =
        http_.Get("/apis/v1beta1/pipelines?page_size=100&" + NameFilter(name));
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the pipeline list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstNamed(*document, "pipelines", name);
    if (found == nullptr) return std::optional<KfpPipeline>();
    return std::optional<KfpPipeline>(PipelineFrom(*found));
  }

  Result<std::optional<KfpPipelineVersion>> FindPipelineVersion(const std::string& pipeline_id,
                                                                const std::string& name) override {
    Result<std::string> answer =
        http_.Get("/apis/v1beta1/pipeline_versions?resource_key.type=PIPELINE&resource_key.id=" +
                  Escape(pipeline_id) + "&page_size=100&" + NameFilter(name));
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the version list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstNamed(*document, "versions", name);
    if (found == nullptr) return std::optional<KfpPipelineVersion>();
    return std::optional<KfpPipelineVersion>(
        KfpPipelineVersion{StringMember(*found, "id"), StringMember(*found, "name"), pipeline_id});
  }

  Result<KfpPipeline> GetPipeline(const std::string& pipeline_id) override {
    Result<std::string> answer = http_.Get("/apis/v1beta1/pipelines/" + Escape(pipeline_id));
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the pipeline");
    if (!document) return document.error();
    return PipelineFrom(*document);
  }

  Result<std::optional<KfpExperiment>> FindExperiment(const std::string& name) override {
    Result<std::string> answer =
        http_.Get("/apis/v1beta1/experiments?page_size=100&" + NameFilter(name));
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the experiment list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstNamed(*document, "experiments", name);
    if (found == nullptr) return std::optional<KfpExperiment>();
    return std::optional<KfpExperiment>(
        KfpExperiment{StringMember(*found, "id"), StringMember(*found, "name")});
  }

  Result<KfpExperiment> CreateExperiment(const std::string& name,
                                         const std::string& description) override {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("name");
    writer.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    writer.Key("description");
    writer.String(description.c_str(), static_cast<rapidjson::SizeType>(description.size()));
    writer.EndObject();
    Result<std::string> answer = http_.PostJson("/apis/v1beta1/experiments", buffer.GetString());
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the new experiment");
    if (!document) return document.error();
    return KfpExperiment{StringMember(*document, "id"), StringMember(*document, "name")};
  }

  Result<KfpRun> CreateRun(const std::string& name, const std::string& experiment_id,
                           const std::string& pipeline_version_id,
                           const KfpParameters& parameters) override {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    const auto string = [&writer](const std::string& text) {
      writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    };
    const auto reference = [&](const char* type, const std::string& id, const char* relation) {
      writer.StartObject();
      writer.Key("key");
      writer.StartObject();
      writer.Key("type");
      writer.String(type);
      writer.Key("id");
      string(id);
      writer.EndObject();
      writer.Key("relationship");
      writer.String(relation);
      writer.EndObject();
    };
    writer.StartObject();
    writer.Key("name");
    string(name);
    writer.Key("pipeline_spec");
    writer.StartObject();
    writer.Key("parameters");
    writer.StartArray();
    for (const auto& [key, value] : parameters) {
      writer.StartObject();
      writer.Key("name");
      string(key);
      writer.Key("value");
      string(value);
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    writer.Key("resource_references");
    writer.StartArray();
    reference("EXPERIMENT", experiment_id, "OWNER");
    reference("PIPELINE_VERSION", pipeline_version_id, "CREATOR");
    writer.EndArray();
    writer.EndObject();
    Result<std::string> answer = http_.PostJson("/apis/v1beta1/runs", buffer.GetString());
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the new run");
    if (!document) return document.error();
    return RunFrom(*document);
  }

  Result<KfpRun> GetRun(const std::string& run_id) override {
    Result<std::string> answer = http_.Get("/apis/v1beta1/runs/" + Escape(run_id));
    if (!answer) return answer.error();
    Result<rapidjson::Document> document = ParseAnswer(*answer, "the run");
    if (!document) return document.error();
    return RunFrom(*document);
  }

 private:
  static Result<kfp::Upload> ReadUpload(const std::string& file) {
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
    return kfp::Upload{"uploadfile", name, std::move(*bytes)};
  }

  kfp::KfpHttp http_;
};

bool IsTransient(const Status& status) {
  return status.code() == ErrorCode::kUnavailable || status.code() == ErrorCode::kTimeout;
}

}  // namespace

bool KfpRun::Finished() const {
  return status == "Succeeded" || status == "Failed" || status == "Error" || status == "Skipped" ||
         status == "Terminated";
}

bool KfpRun::Succeeded() const { return status == "Succeeded"; }

KfpClient::~KfpClient() = default;

Result<KfpRun> KfpClient::WaitForRun(const std::string& run_id, std::chrono::milliseconds interval,
                                     std::chrono::milliseconds timeout, std::stop_token stop,
                                     const std::function<void(const KfpRun&)>& on_poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Status last_error;
  for (;;) {
    Result<KfpRun> run = GetRun(run_id);
    if (run) {
      if (on_poll) on_poll(*run);
      if (run->Finished()) return run;
    } else if (!IsTransient(run.error())) {
      return run.error();
    } else {
      last_error = run.error();
    }
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::milliseconds(0)) {
      return Status::Timeout(
          "run " + run_id + " did not finish within " + std::to_string(timeout.count() / 1000) +
          " s" + (last_error.ok() ? "" : " (last error: " + last_error.message() + ")"));
    }
    const auto wait = std::min<std::chrono::milliseconds>(
        interval, std::chrono::duration_cast<std::chrono::milliseconds>(left));
    if (!SleepFor(wait, stop)) return Status::Cancelled("stopped while waiting for run " + run_id);
  }
}

Result<std::unique_ptr<KfpClient>> MakeKfpClient(KfpClientOptions options) {
  if (Status url = http::CheckWebhookUrl(options.endpoint); !url.ok()) {
    return Status::InvalidArgument("KFP endpoint: " + url.message());
  }
  if (options.token.empty() && !options.token_file.empty()) {
    Result<std::string> token = ReadFile(options.token_file, "token file");
    if (!token) return Status::InvalidArgument(token.error().message());
    options.token = std::string(Trim(*token));
  }
  return std::unique_ptr<KfpClient>(std::make_unique<V1Client>(std::move(options)));
}

}  // namespace kfpevents
