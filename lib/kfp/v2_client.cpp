// The KFP v2beta1 REST API: *_id fields, display names, run states, parameters as an object.
#include "json/json_fields.hpp"
#include "kfp/clients.hpp"
#include "kfp/kfp_json.hpp"

namespace kfpevents::kfp {
namespace {

using json::StringMember;

// v2's run state in v1's words, which KfpRun speaks.
std::string StatusOfState(const std::string& state) {
  if (state == "RUNNING") return "Running";
  if (state == "SUCCEEDED") return "Succeeded";
  if (state == "FAILED") return "Failed";
  if (state == "SKIPPED") return "Skipped";
  if (state == "CANCELING") return "Terminating";
  if (state == "CANCELED") return "Terminated";
  if (state == "PAUSED") return "Paused";
  return "";  // PENDING, RUNTIME_STATE_UNSPECIFIED
}

KfpRun RunFrom(const rapidjson::Value& run) {
  KfpRun out{StringMember(run, "run_id"),
             StringMember(run, "display_name"),
             StatusOfState(StringMember(run, "state")),
             "",
             StringMember(run, "created_at"),
             "",
             StringMember(run, "description")};
  if (const rapidjson::Value* error = json::ObjectMember(run, "error")) {
    out.error = StringMember(*error, "message");
  }
  return out;
}

// root.inputDefinitions.parameters of a pipeline spec: name -> parameterType (older specs: type).
std::vector<std::pair<std::string, std::string>> DeclaredParameters(const rapidjson::Value& spec) {
  std::vector<std::pair<std::string, std::string>> declared;
  const rapidjson::Value* root = json::ObjectMember(spec, "root");
  const rapidjson::Value* inputs = root ? json::ObjectMember(*root, "inputDefinitions") : nullptr;
  const rapidjson::Value* parameters = inputs ? json::ObjectMember(*inputs, "parameters") : nullptr;
  if (parameters == nullptr) return declared;
  for (const auto& member : parameters->GetObject()) {
    std::string type = StringMember(member.value, "parameterType");
    if (type.empty()) type = StringMember(member.value, "type");
    declared.emplace_back(member.name.GetString(), type);
  }
  return declared;
}

// KFP 2.0 to 2.5 give pipelines and versions a display_name only; `name` arrived in 2.14.
std::string NameOf(const rapidjson::Value& object) {
  std::string name = StringMember(object, "name");
  return name.empty() ? StringMember(object, "display_name") : name;
}

KfpPipelineVersion VersionFrom(const rapidjson::Value& version) {
  return {StringMember(version, "pipeline_version_id"), NameOf(version),
          StringMember(version, "pipeline_id"), ""};
}

class V2Client final : public KfpClient {
 public:
  explicit V2Client(KfpClientOptions options)
      : namespace_(options.namespace_name), http_(std::move(options)) {}

  Result<KfpPipeline> UploadPipeline(const std::string& file, const std::string& name,
                                     const std::string& description) override {
    Result<Upload> upload = ReadUpload(file);
    if (!upload) return upload.error();
    std::string query =
        "/apis/v2beta1/pipelines/upload?name=" + Escape(name) + "&display_name=" + Escape(name);
    if (!description.empty()) query += "&description=" + Escape(description);
    if (!namespace_.empty()) query += "&namespace=" + Escape(namespace_);
    Result<rapidjson::Document> document = UploadJson(http_, query, *upload, "the upload");
    if (!document) return document.error();
    KfpPipeline pipeline{StringMember(*document, "pipeline_id"), NameOf(*document), "", ""};
    // The upload made a first version; it is the pipeline's default one.
    Result<KfpPipeline> with_version = GetPipeline(pipeline.id);
    if (with_version) pipeline.default_version_id = with_version->default_version_id;
    return pipeline;
  }

  Result<KfpPipelineVersion> UploadPipelineVersion(const std::string& file,
                                                   const std::string& pipeline_id,
                                                   const std::string& version_name) override {
    Result<Upload> upload = ReadUpload(file);
    if (!upload) return upload.error();
    Result<rapidjson::Document> document = UploadJson(
        http_,
        "/apis/v2beta1/pipelines/upload_version?name=" + Escape(version_name) +
            "&display_name=" + Escape(version_name) + "&pipelineid=" + Escape(pipeline_id),
        *upload, "the version upload");
    if (!document) return document.error();
    KfpPipelineVersion version = VersionFrom(*document);
    if (version.pipeline_id.empty()) version.pipeline_id = pipeline_id;
    return version;
  }

  Result<std::optional<KfpPipeline>> FindPipeline(const std::string& name) override {
    // The namespace's own pipelines first, then the shared ones.
    Result<std::optional<rapidjson::Document>> found =
        FindNamed("/apis/v2beta1/pipelines?page_size=100&" + NamespaceParam(), "pipelines", name,
                  "the pipeline list");
    if (found && !*found && !namespace_.empty()) {
      found =
          FindNamed("/apis/v2beta1/pipelines?page_size=100&", "pipelines", name, "the pipeline list");
    }
    if (!found) return found.error();
    if (!*found) return std::optional<KfpPipeline>();
    return std::optional<KfpPipeline>(
        KfpPipeline{StringMember(**found, "pipeline_id"), NameOf(**found), "", ""});
  }

  Result<std::optional<KfpPipelineVersion>> FindPipelineVersion(const std::string& pipeline_id,
                                                                const std::string& name) override {
    Result<std::optional<rapidjson::Document>> found =
        FindNamed("/apis/v2beta1/pipelines/" + Escape(pipeline_id) + "/versions?page_size=100&",
                  "pipeline_versions", name, "the version list");
    if (!found) return found.error();
    if (!*found) return std::optional<KfpPipelineVersion>();
    return std::optional<KfpPipelineVersion>(VersionFrom(**found));
  }

  Result<KfpPipeline> GetPipeline(const std::string& pipeline_id) override {
    Result<rapidjson::Document> document =
        GetJson(http_, "/apis/v2beta1/pipelines/" + Escape(pipeline_id), "the pipeline");
    if (!document) return document.error();
    KfpPipeline pipeline{StringMember(*document, "pipeline_id"), NameOf(*document), "", ""};
    // v2beta1 has no default version: the newest one stands in.
    Result<rapidjson::Document> list =
        GetJson(http_,
                "/apis/v2beta1/pipelines/" + Escape(pipeline_id) +
                    "/versions?page_size=1&sort_by=" + Escape("created_at desc"),
                "the version list");
    if (!list) return list.error();
    const rapidjson::Value* items = json::Member(*list, "pipeline_versions");
    if (items != nullptr && items->IsArray() && !items->Empty()) {
      pipeline.default_version_id = StringMember((*items)[0], "pipeline_version_id");
    }
    return pipeline;
  }

  Result<KfpPipelineVersion> GetPipelineVersion(const std::string& pipeline_id,
                                                const std::string& version_id) override {
    // v2beta1 finds a version only under its pipeline; v1beta1 by its id alone.
    if (pipeline_id.empty()) return GetV1PipelineVersion(http_, version_id);
    Result<rapidjson::Document> document = GetJson(
        http_,
        "/apis/v2beta1/pipelines/" + Escape(pipeline_id) + "/versions/" + Escape(version_id),
        "the pipeline version");
    if (!document) return document.error();
    KfpPipelineVersion version = VersionFrom(*document);
    if (version.pipeline_id.empty()) version.pipeline_id = pipeline_id;
    return version;
  }

  Result<std::optional<KfpExperiment>> FindExperiment(const std::string& name) override {
    Result<rapidjson::Document> document =
        GetJson(http_,
                "/apis/v2beta1/experiments?page_size=100&" + NamespaceParam() +
                    EqualsFilter("display_name", name, "operation"),
                "the experiment list");
    if (!document) return document.error();
    const rapidjson::Value* found = FirstWith(*document, "experiments", "display_name", name);
    if (found == nullptr) return std::optional<KfpExperiment>();
    return std::optional<KfpExperiment>(KfpExperiment{StringMember(*found, "experiment_id"),
                                                      StringMember(*found, "display_name"), ""});
  }

  Result<KfpExperiment> CreateExperiment(const std::string& name,
                                         const std::string& description) override {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("display_name");
    WriteString(writer, name);
    writer.Key("description");
    WriteString(writer, description);
    if (!namespace_.empty()) {
      writer.Key("namespace");
      WriteString(writer, namespace_);
    }
    writer.EndObject();
    Result<rapidjson::Document> document =
        PostJson(http_, "/apis/v2beta1/experiments", buffer.GetString(), "the new experiment");
    if (!document) return document.error();
    return KfpExperiment{StringMember(*document, "experiment_id"),
                         StringMember(*document, "display_name"), ""};
  }

  Result<KfpTypedParameters> TypeParameters(const std::string& pipeline_id,
                                            const std::string& pipeline_version_id,
                                            const KfpParameters& parameters) override {
    Result<rapidjson::Document> version = GetJson(http_,
                                                  "/apis/v2beta1/pipelines/" + Escape(pipeline_id) +
                                                      "/versions/" + Escape(pipeline_version_id),
                                                  "the pipeline version");
    if (!version) return version.error();
    const rapidjson::Value* spec = json::ObjectMember(*version, "pipeline_spec");
    if (spec == nullptr)
      return AsStrings(parameters);  // nothing to check against: the server checks
    // With a platform spec, KFP keeps both under pipeline_spec.
    if (const rapidjson::Value* inner = json::ObjectMember(*spec, "pipeline_spec")) spec = inner;
    return TypeKfpParameters(parameters, DeclaredParameters(*spec));
  }

  Result<KfpRun> CreateRun(const KfpRunSpec& run) override {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("display_name");
    WriteString(writer, run.name);
    writer.Key("description");
    WriteString(writer, run.description);
    writer.Key("experiment_id");
    WriteString(writer, run.experiment_id);
    writer.Key("pipeline_version_reference");
    writer.StartObject();
    writer.Key("pipeline_id");
    WriteString(writer, run.pipeline_id);
    writer.Key("pipeline_version_id");
    WriteString(writer, run.pipeline_version_id);
    writer.EndObject();
    writer.Key("runtime_config");
    writer.StartObject();
    writer.Key("parameters");
    writer.StartObject();
    for (const Parameter& parameter : run.parameters) {
      writer.Key(parameter.name.c_str(), static_cast<rapidjson::SizeType>(parameter.name.size()));
      if (parameter.type == ParameterType::kString) {
        WriteString(writer, parameter.value);
      } else {  // JSON that TypeKfpParameters wrote
        writer.RawValue(parameter.value.c_str(), parameter.value.size(), rapidjson::kObjectType);
      }
    }
    writer.EndObject();
    writer.EndObject();
    writer.EndObject();
    Result<rapidjson::Document> document =
        PostJson(http_, "/apis/v2beta1/runs", buffer.GetString(), "the new run");
    if (!document) return document.error();
    return RunFrom(*document);
  }

  Result<KfpRun> GetRun(const std::string& run_id) override {
    Result<rapidjson::Document> document =
        GetJson(http_, "/apis/v2beta1/runs/" + Escape(run_id), "the run");
    if (!document) return document.error();
    return RunFrom(*document);
  }

  Result<std::vector<KfpRun>> FindRuns(const std::string& experiment_id,
                                       const std::string& name) override {
    Result<rapidjson::Document> document =
        GetJson(http_,
                "/apis/v2beta1/runs?" + NamespaceParam() + "experiment_id=" + Escape(experiment_id) +
                    "&page_size=100&sort_by=" + Escape("created_at desc") + "&" +
                    EqualsFilter("display_name", name, "operation"),
                "the run list");
    if (!document) return document.error();
    std::vector<KfpRun> runs;
    for (const rapidjson::Value* run : AllWith(*document, "runs", "display_name", name)) {
      runs.push_back(RunFrom(*run));
    }
    return runs;
  }

 private:
  // "namespace=<ns>&" when the client works in a profile namespace; else "".
  std::string NamespaceParam() const {
    return namespace_.empty() ? std::string() : "namespace=" + Escape(namespace_) + "&";
  }

  // The first item of `list` named `name` in either field: asked by name (KFP 2.14 and later),
  // then by display_name (KFP 2.0 to 2.5 have no name, and a filter on it finds nothing there).
  Result<std::optional<rapidjson::Document>> FindNamed(const std::string& path_and_query,
                                                       const char* list, const std::string& name,
                                                       const char* what) {
    for (const char* key : {"name", "display_name"}) {
      Result<rapidjson::Document> document =
          GetJson(http_, path_and_query + EqualsFilter(key, name, "operation"), what);
      if (!document) return document.error();
      const rapidjson::Value* found = FirstWith(*document, list, "name", name);
      if (found == nullptr) found = FirstWith(*document, list, "display_name", name);
      if (found == nullptr) continue;
      rapidjson::Document item;
      item.CopyFrom(*found, item.GetAllocator());
      return std::optional<rapidjson::Document>(std::move(item));
    }
    return std::optional<rapidjson::Document>();
  }

  const std::string namespace_;
  KfpHttp http_;
};

}  // namespace

std::unique_ptr<KfpClient> MakeV2Client(KfpClientOptions options) {
  return std::make_unique<V2Client>(std::move(options));
}

}  // namespace kfpevents::kfp
