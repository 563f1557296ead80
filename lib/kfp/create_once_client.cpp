// Every create of the KFP client, made safe against a lost answer (create_once.hpp): a decorator
// around the API version's client, so that both versions share one policy.
#include <algorithm>

#include "core/rfc3339.hpp"
#include "kfp/clients.hpp"
#include "kfp/create_once.hpp"

namespace kfpevents::kfp {
namespace {

// A run found after a lost answer counts only when created since the request, less this for a
// server whose clock differs from ours.
constexpr std::chrono::minutes kClockSkew{5};

class CreateOnceClient final : public KfpClient {
 public:
  CreateOnceClient(std::unique_ptr<KfpClient> inner, int attempts)
      : inner_(std::move(inner)), attempts_(attempts) {}

  Result<KfpPipeline> UploadPipeline(const std::string& file, const std::string& name,
                                     const std::string& description) override {
    return CreateOnce<KfpPipeline>(
        attempts_, "pipeline \"" + name + "\"",
        [&] { return inner_->UploadPipeline(file, name, description); },
        [&]() -> Result<std::optional<KfpPipeline>> {
          Result<std::optional<KfpPipeline>> found = inner_->FindPipeline(name);
          if (!found || !*found) return found;
          Result<KfpPipeline> whole = inner_->GetPipeline((*found)->id);  // its default version
          if (!whole) return whole.error();
          return std::optional<KfpPipeline>(std::move(*whole));
        });
  }

  Result<KfpPipelineVersion> UploadPipelineVersion(const std::string& file,
                                                   const std::string& pipeline_id,
                                                   const std::string& version_name) override {
    return CreateOnce<KfpPipelineVersion>(
        attempts_, "pipeline version \"" + version_name + "\"",
        [&] { return inner_->UploadPipelineVersion(file, pipeline_id, version_name); },
        [&] { return inner_->FindPipelineVersion(pipeline_id, version_name); });
  }

  Result<KfpExperiment> CreateExperiment(const std::string& name,
                                         const std::string& description) override {
    return CreateOnce<KfpExperiment>(
        attempts_, "experiment \"" + name + "\"",
        [&] { return inner_->CreateExperiment(name, description); },
        [&] { return inner_->FindExperiment(name); });
  }

  Result<KfpRun> CreateRun(const KfpRunSpec& run) override {
    const auto since = std::chrono::system_clock::now() - kClockSkew;
    const std::string what =
        "a run named \"" + run.name + "\" in experiment " + run.experiment_id;
    return CreateOnce<KfpRun>(
        attempts_, what, [&] { return inner_->CreateRun(run); },
        [&]() -> Result<std::optional<KfpRun>> {
          Result<std::vector<KfpRun>> runs = inner_->FindRuns(run.experiment_id, run.name);
          if (!runs) return runs.error();
          const auto seconds =
              std::chrono::duration_cast<std::chrono::seconds>(since.time_since_epoch()).count();
          std::vector<KfpRun> recent;
          for (KfpRun& found : *runs) {
            if (ParseRfc3339Seconds(found.created_at).value_or(0) >= seconds) {
              recent.push_back(std::move(found));
            }
          }
          if (recent.size() > 1) {
            return Status::Unavailable(std::to_string(recent.size()) +
                                       " runs of that name were "
                                       "created since, which one is this request's cannot be "
                                       "told");
          }
          if (recent.empty()) return std::optional<KfpRun>();
          return std::optional<KfpRun>(std::move(recent.front()));
        });
  }

  Result<KfpTypedParameters> TypeParameters(const std::string& pipeline_id,
                                            const std::string& pipeline_version_id,
                                            const KfpParameters& parameters) override {
    return inner_->TypeParameters(pipeline_id, pipeline_version_id, parameters);
  }
  Result<std::optional<KfpPipeline>> FindPipeline(const std::string& name) override {
    return inner_->FindPipeline(name);
  }
  Result<std::optional<KfpPipelineVersion>> FindPipelineVersion(const std::string& pipeline_id,
                                                                const std::string& name) override {
    return inner_->FindPipelineVersion(pipeline_id, name);
  }
  Result<KfpPipeline> GetPipeline(const std::string& pipeline_id) override {
    return inner_->GetPipeline(pipeline_id);
  }
  Result<KfpPipelineVersion> GetPipelineVersion(const std::string& pipeline_id,
                                                const std::string& version_id) override {
    return inner_->GetPipelineVersion(pipeline_id, version_id);
  }
  Result<std::optional<KfpExperiment>> FindExperiment(const std::string& name) override {
    return inner_->FindExperiment(name);
  }
  Result<KfpRun> GetRun(const std::string& run_id) override { return inner_->GetRun(run_id); }
  Result<std::vector<KfpRun>> FindRuns(const std::string& experiment_id,
                                       const std::string& name) override {
    return inner_->FindRuns(experiment_id, name);
  }

 private:
  const std::unique_ptr<KfpClient> inner_;
  const int attempts_;
};

}  // namespace

std::unique_ptr<KfpClient> MakeCreateOnceClient(std::unique_ptr<KfpClient> inner, int attempts) {
  return std::make_unique<CreateOnceClient>(std::move(inner), attempts);
}

}  // namespace kfpevents::kfp
