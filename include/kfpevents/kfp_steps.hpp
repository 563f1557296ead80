// The steps a CI job takes with Kubeflow Pipelines, on any KfpClient: resolve a pipeline and a
// version, upload one, make sure an experiment exists, start a run. `kfp-eventd kfp` is flags
// and output around these; a program that links the library gets the same behaviour.
#pragma once

#include <functional>
#include <string>

#include "kfpevents/export.hpp"
#include "kfpevents/kfp.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

// Which pipeline version: a pipeline by id or name, and of it a version by id or name; no version
// means the pipeline's default one. A version id alone names its pipeline too.
struct KfpVersionSelector {
  std::string pipeline_id;
  std::string pipeline_name;
  std::string version_id;
  std::string version_name;
};

struct KfpVersionIds {
  std::string pipeline_id;
  std::string version_id;
};

// kNotFound names what the selector named and the server does not have; kInvalidArgument when it
// names nothing (no pipeline, and no version id).
KFPEVENTS_EXPORT Result<KfpVersionIds> ResolveKfpVersion(KfpClient& client,
                                                         const KfpVersionSelector& selector);

// Uploads a new pipeline; kInvalidArgument, before anything is sent, when one of that name
// exists (a new version is what is wanted then).
KFPEVENTS_EXPORT Result<KfpPipeline> UploadNewKfpPipeline(KfpClient& client,
                                                          const std::string& file,
                                                          const std::string& name,
                                                          const std::string& description);

// Uploads `file` as version `version_name` of the pipeline `pipeline` names (its version fields
// are not used).
KFPEVENTS_EXPORT Result<KfpPipelineVersion> UploadKfpPipelineVersion(
    KfpClient& client, const std::string& file, const KfpVersionSelector& pipeline,
    const std::string& version_name);

// The experiment of that name, created when missing (`description` is only used then).
KFPEVENTS_EXPORT Result<KfpExperiment> EnsureKfpExperiment(KfpClient& client,
                                                           const std::string& name,
                                                           const std::string& description);

struct KfpRunRequest {
  std::string name;
  std::string description;
  KfpVersionSelector version;
  std::string experiment_id;    // or
  std::string experiment_name;  // created when missing
  KfpParameters parameters;
};

struct KfpStartedRun {
  KfpVersionIds ids;
  KfpExperiment experiment;  // `adopted` says when it was found after a lost answer
  KfpRun run;                // likewise
};

// Resolves the version, types the parameters as it declares them, finds or creates the
// experiment, and creates the run, in that order: a parameter that is not of its declared type
// (kInvalidArgument) is refused before anything is created. A lost answer never starts a second
// run (see MakeKfpClient).
KFPEVENTS_EXPORT Result<KfpStartedRun> StartKfpRun(KfpClient& client, const KfpRunRequest& request);

// The `azdocallbackinfo` parameter's text, in the Python-dict style existing pipelines parse,
// built from the Azure DevOps predefined variables that `variable` looks up by their environment
// names (SYSTEM_JOBID, SYSTEM_HOSTTYPE, SYSTEM_TASKINSTANCEID, SYSTEM_PLANID,
// SYSTEM_TEAMPROJECTID, SYSTEM_COLLECTIONURI, SYSTEM_ACCESSTOKEN). kInvalidArgument lists the
// missing ones and never a value.
KFPEVENTS_EXPORT Result<std::string> AzureDevOpsCallbackParameter(
    const std::function<std::string(const char* name)>& variable);

}  // namespace kfpevents
