// The KFP v1beta1 REST API: what each call sends and how its answer is read.
#include "json/json_fields.hpp"
#include "kfp/clients.hpp"
#include "kfp/kfp_json.hpp"

namespace kfpevents::kfp {
namespace {

using json::ObjectMember;
using json::StringMember;

KfpPipeline PipelineFrom(const rapidjson::Value& object) {
  KfpPipeline pipeline{StringMember(object, "id"), StringMember(object, "name"), "", ""};
  if (const rapidjson::Value* version = ObjectMember(object, "default_version")) {
    pipeline.default_version_id = StringMember(*version, "id");
  }
  return pipeline;
}

KfpRun RunFrom(const rapidjson::Value& answer) {
  const rapidjson::Value* run = ObjectMember(answer, "run");
  const rapidjson::Value& object = run != nullptr ? *run : answer;
  return {StringMember(object, "id"),         StringMember(object, "name"),
          StringMember(object, "status"),     StringMember(object, "error"),
          StringMember(object, "created_at"), "",
          StringMember(object, "description")};
}

class V1Client final : public KfpClient {
 public:
  explicit V1Client(KfpClientOptions options)
      : namespace_(options.namespace_name), http_(std::move(options)) {}

  Result<KfpPipeline> UploadPipeline(const std::string& file, const std::string& name,
                                     const std::string& description) override {
    Result<Upload> upload = ReadUpload(file);
    if (!upload) return upload.error();
    std::string query = "/apis/v1beta1/pipelines/upload?name=" + Escape(name);
    if (!description.empty()) query += "&description=" + Escape(description);
    Result<rapidjson::Document> document = UploadJson(http_, query, *upload, "the upload");
    if (!document) return document.error();
    return PipelineFrom(*document);
  }

  Result<KfpPipelineVersion> UploadPipelineVersion(const std::string& file,
                                                   const std::string& pipeline_id,
                                                   const std::string& version_name) override {
    Result<Upload> upload = ReadUpload(file);
    if (!upload) return upload.error();
    Result<rapidjson::Document> document =
        UploadJson(http_,
                   "/apis/v1beta1/pipelines/upload_version?name=" + Escape(version_name) +
                       "&pipelineid=" + Escape(pipeline_id),
                   *upload, "the version upload");
    if (!document) return document.error();
    KfpPipelineVersion version{StringMember(*document, "id"), StringMember(*document, "name"),
                               ReferenceId(*document, "PIPELINE"), ""};
    if (version.pipeline_id.empty()) version.pipeline_id = pipeline_id;
    return version;
  }

  Result<std::optional<KfpPipeline>> FindPipeline(const std::string& name) override {
    Result<rapidjson::Document> document =
        GetJson(http_, "/apis/v1beta1/pipelines?page_size=100&" + EqualsFilter("name", name, "op"),
                "the pipeline list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstWith(*document, "pipelines", "name", name);
    if (found == nullptr) return std::optional<KfpPipeline>();
    return std::optional<KfpPipeline>(PipelineFrom(*found));
  }

  Result<std::optional<KfpPipelineVersion>> FindPipelineVersion(const std::string& pipeline_id,
                                                                const std::string& name) override {
    Result<rapidjson::Document> document =
        GetJson(http_,
                "/apis/v1beta1/pipeline_versions?resource_key.type=PIPELINE&resource_key.id=" +
                    Escape(pipeline_id) + "&page_size=100&" + EqualsFilter("name", name, "op"),
                "the version list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstWith(*document, "versions", "name", name);
    if (found == nullptr) return std::optional<KfpPipelineVersion>();
    return std::optional<KfpPipelineVersion>(KfpPipelineVersion{
        StringMember(*found, "id"), StringMember(*found, "name"), pipeline_id, ""});
  }

  Result<KfpPipelineVersion> GetPipelineVersion(const std::string& pipeline_id,
                                                const std::string& version_id) override {
    Result<KfpPipelineVersion> version = GetV1PipelineVersion(http_, version_id);
    if (version && version->pipeline_id.empty()) version->pipeline_id = pipeline_id;
    return version;
  }

  Result<KfpPipeline> GetPipeline(const std::string& pipeline_id) override {
    Result<rapidjson::Document> document =
        GetJson(http_, "/apis/v1beta1/pipelines/" + Escape(pipeline_id), "the pipeline");
    if (!document) return document.error();
    return PipelineFrom(*document);
  }

  Result<std::optional<KfpExperiment>> FindExperiment(const std::string& name) override {
    // In a profile namespace, experiments are listed by the namespace that owns them.
    const std::string scope =
        namespace_.empty() ? ""
                           : "resource_reference_key.type=NAMESPACE&resource_reference_key.id=" +
                                 Escape(namespace_) + "&";
    Result<rapidjson::Document> document =
        GetJson(http_,
                "/apis/v1beta1/experiments?" + scope + "page_size=100&" +
                    EqualsFilter("name", name, "op"),
                "the experiment list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstWith(*document, "experiments", "name", name);
    if (found == nullptr) return std::optional<KfpExperiment>();
    return std::optional<KfpExperiment>(
        KfpExperiment{StringMember(*found, "id"), StringMember(*found, "name"), ""});
  }

  Result<KfpExperiment> CreateExperiment(const std::string& name,
                                         const std::string& description) override {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("name");
    WriteString(writer, name);
    writer.Key("description");
    WriteString(writer, description);
    if (!namespace_.empty()) {
      writer.Key("resource_references");
      writer.StartArray();
      WriteReference(writer, "NAMESPACE", namespace_, "OWNER");
      writer.EndArray();
    }
    writer.EndObject();
    Result<rapidjson::Document> document =
        PostJson(http_, "/apis/v1beta1/experiments", buffer.GetString(), "the new experiment");
    if (!document) return document.error();
    return KfpExperiment{StringMember(*document, "id"), StringMember(*document, "name"), ""};
  }

  Result<KfpTypedParameters> TypeParameters(const std::string&, const std::string&,
                                            const KfpParameters& parameters) override {
    return AsStrings(parameters);
  }

  Result<KfpRun> CreateRun(const KfpRunSpec& run) override {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    const auto string = [&writer](const std::string& text) { WriteString(writer, text); };
    writer.StartObject();
    writer.Key("name");
    string(run.name);
    writer.Key("description");
    string(run.description);
    writer.Key("pipeline_spec");
    writer.StartObject();
    writer.Key("parameters");
    writer.StartArray();
    for (const Parameter& parameter : run.parameters) {
      writer.StartObject();
      writer.Key("name");
      string(parameter.name);
      writer.Key("value");
      string(parameter.value);
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    writer.Key("resource_references");
    writer.StartArray();
    WriteReference(writer, "EXPERIMENT", run.experiment_id, "OWNER");
    WriteReference(writer, "PIPELINE_VERSION", run.pipeline_version_id, "CREATOR");
    writer.EndArray();
    writer.EndObject();
    Result<rapidjson::Document> document =
        PostJson(http_, "/apis/v1beta1/runs", buffer.GetString(), "the new run");
    if (!document) return document.error();
    return RunFrom(*document);
  }

  Result<KfpRun> GetRun(const std::string& run_id) override {
    Result<rapidjson::Document> document =
        GetJson(http_, "/apis/v1beta1/runs/" + Escape(run_id), "the run");
    if (!document) return document.error();
    return RunFrom(*document);
  }

  Result<std::vector<KfpRun>> FindRuns(const std::string& experiment_id,
                                       const std::string& name) override {
    Result<rapidjson::Document> document =
        GetJson(http_,
                "/apis/v1beta1/runs?resource_reference_key.type=EXPERIMENT&"
                "resource_reference_key.id=" +
                    Escape(experiment_id) + "&page_size=100&sort_by=" + Escape("created_at desc") +
                    "&" + EqualsFilter("name", name, "op"),
                "the run list");
    if (!document) return document.error();
    std::vector<KfpRun> runs;
    for (const rapidjson::Value* run : AllWith(*document, "runs", "name", name)) {
      runs.push_back(RunFrom(*run));
    }
    return runs;
  }

 private:
  const std::string namespace_;
  KfpHttp http_;
};

}  // namespace

std::unique_ptr<KfpClient> MakeV1Client(KfpClientOptions options) {
  return std::make_unique<V1Client>(std::move(options));
}

}  // namespace kfpevents::kfp
