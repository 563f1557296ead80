// The CI steps of kfp_steps.hpp: each a few client calls in the order that keeps bad input from
// creating anything.
#include "kfpevents/kfp_steps.hpp"

namespace kfpevents {
namespace {

Result<std::string> PipelineIdOf(KfpClient& client, const KfpVersionSelector& selector) {
  if (!selector.pipeline_id.empty()) return selector.pipeline_id;
  if (selector.pipeline_name.empty()) {
    return Status::InvalidArgument("no pipeline: give its id or its name");
  }
  Result<std::optional<KfpPipeline>> found = client.FindPipeline(selector.pipeline_name);
  if (!found) return found.error();
  if (!*found) return Status::NotFound("no pipeline named \"" + selector.pipeline_name + "\"");
  return (*found)->id;
}

}  // namespace

Result<KfpVersionIds> ResolveKfpVersion(KfpClient& client, const KfpVersionSelector& selector) {
  if (selector.pipeline_id.empty() && selector.pipeline_name.empty()) {
    if (selector.version_id.empty()) {
      return Status::InvalidArgument("no pipeline: give its id or its name, or a version id");
    }
    Result<KfpPipelineVersion> version = client.GetPipelineVersion("", selector.version_id);
    if (!version) return version.error();
    if (version->pipeline_id.empty()) {
      return Status::NotFound("the server does not say which pipeline version " +
                              selector.version_id + " belongs to; give the pipeline too");
    }
    return KfpVersionIds{version->pipeline_id, version->id};
  }
  Result<std::string> pipeline_id = PipelineIdOf(client, selector);
  if (!pipeline_id) return pipeline_id.error();
  if (!selector.version_id.empty()) return KfpVersionIds{*pipeline_id, selector.version_id};
  if (!selector.version_name.empty()) {
    Result<std::optional<KfpPipelineVersion>> version =
        client.FindPipelineVersion(*pipeline_id, selector.version_name);
    if (!version) return version.error();
    if (!*version) {
      return Status::NotFound("pipeline " + *pipeline_id + " has no version named \"" +
                              selector.version_name + "\"");
    }
    return KfpVersionIds{*pipeline_id, (*version)->id};
  }
  Result<KfpPipeline> pipeline = client.GetPipeline(*pipeline_id);
  if (!pipeline) return pipeline.error();
  if (pipeline->default_version_id.empty()) {
    return Status::NotFound("pipeline " + *pipeline_id + " has no default version");
  }
  return KfpVersionIds{*pipeline_id, pipeline->default_version_id};
}

Result<KfpPipeline> UploadNewKfpPipeline(KfpClient& client, const std::string& file,
                                         const std::string& name, const std::string& description) {
  Result<std::optional<KfpPipeline>> existing = client.FindPipeline(name);
  if (!existing) return existing.error();
  if (*existing) {
    return Status::InvalidArgument("a pipeline named \"" + name + "\" exists (id " +
                                   (*existing)->id + "); upload a new version of it instead");
  }
  return client.UploadPipeline(file, name, description);
}

Result<KfpPipelineVersion> UploadKfpPipelineVersion(KfpClient& client, const std::string& file,
                                                    const KfpVersionSelector& pipeline,
                                                    const std::string& version_name) {
  Result<std::string> pipeline_id = PipelineIdOf(client, pipeline);
  if (!pipeline_id) return pipeline_id.error();
  return client.UploadPipelineVersion(file, *pipeline_id, version_name);
}

Result<KfpExperiment> EnsureKfpExperiment(KfpClient& client, const std::string& name,
                                          const std::string& description) {
  Result<std::optional<KfpExperiment>> found = client.FindExperiment(name);
  if (!found) return found.error();
  if (*found) return **found;
  return client.CreateExperiment(name, description);
}

Result<KfpStartedRun> StartKfpRun(KfpClient& client, const KfpRunRequest& request) {
  if (request.experiment_id.empty() && request.experiment_name.empty()) {
    return Status::InvalidArgument("no experiment: give its id or its name");
  }
  KfpStartedRun started;
  Result<KfpVersionIds> ids = ResolveKfpVersion(client, request.version);
  if (!ids) return ids.error();
  started.ids = *ids;
  Result<KfpTypedParameters> typed =
      client.TypeParameters(ids->pipeline_id, ids->version_id, request.parameters);
  if (!typed) return typed.error();
  if (!request.experiment_id.empty()) {
    started.experiment.id = request.experiment_id;
  } else {
    Result<KfpExperiment> experiment = EnsureKfpExperiment(client, request.experiment_name, "");
    if (!experiment) return experiment.error();
    started.experiment = std::move(*experiment);
  }
  Result<KfpRun> run = client.CreateRun(KfpRunSpec{request.name, request.description,
                                                   started.experiment.id, ids->pipeline_id,
                                                   ids->version_id, std::move(*typed)});
  if (!run) return run.error();
  started.run = std::move(*run);
  return started;
}

}  // namespace kfpevents
