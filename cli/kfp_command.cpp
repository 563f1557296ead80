// `kfp-eventd kfp ...`: the Kubeflow Pipelines client for CI (upload, experiments, runs).
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "kfp_output.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/kfp.hpp"
#include "kfpevents/kfp_steps.hpp"
#include "signals.hpp"

namespace kfpevents::cli {
namespace {

struct KfpFlags {
  std::string api = "auto";
  std::string endpoint;
  std::string token;
  std::string token_file;
  std::string ca_file;
  bool insecure = false;
  std::string namespace_name;
  std::string output = "text";
  // pipeline
  std::string file, name, description, pipeline_id, pipeline_name, version_name, version_id;
  // experiment / run
  std::string experiment_name, experiment_id, run_name, run_id, params;
  bool azdo_callback = false;
  bool wait = false;
  std::string interval = "15s";
  std::string timeout = "24h";
};

// One subcommand's work: the outputs, or the error and its exit code.
struct Outcome {
  Outputs outputs;
  int exit_code = kExitOk;
  std::string error;
};

Outcome Done(Outputs outputs) { return {std::move(outputs), kExitOk, ""}; }

Outcome Failed(const Status& status, int code = kExitCommandFailed) {
  return {{}, code, status.message()};
}

// Says on stderr when what a command needed was adopted after a lost answer, not created by it.
template <typename Object>
void SayIfAdopted(const Object& object, const std::string& what) {
  if (!object.adopted.empty()) {
    std::cerr << "kfp-eventd: " << what << " " << object.id << ": " << object.adopted << '\n';
  }
}

KfpVersionSelector SelectorOf(const KfpFlags& flags) {
  return {flags.pipeline_id, flags.pipeline_name, flags.version_id, flags.version_name};
}

// Bad input (a value not of its declared type, a name in use) is a usage error; the rest failed.
Outcome FailedStep(const Status& status) {
  return Failed(status, status.code() == ErrorCode::kInvalidArgument ? kExitUsage
                                                                      : kExitCommandFailed);
}

Outcome PipelineUpload(KfpClient& client, const KfpFlags& flags) {
  Result<KfpPipeline> pipeline =
      UploadNewKfpPipeline(client, flags.file, flags.name, flags.description);
  if (!pipeline) {
    if (pipeline.error().code() != ErrorCode::kInvalidArgument) return Failed(pipeline.error());
    return Failed(Status::InvalidArgument(pipeline.error().message() +
                                          " with `kfp-eventd kfp pipeline upload-version`"));
  }
  SayIfAdopted(*pipeline, "pipeline");
  Outputs outputs = {{"kf_pipeline_id", pipeline->id}, {"kf_pipeline_name", pipeline->name}};
  if (!pipeline->default_version_id.empty()) {
    outputs.emplace_back("kf_pipeline_version_id", pipeline->default_version_id);
  }
  return Done(std::move(outputs));
}

Outcome PipelineUploadVersion(KfpClient& client, const KfpFlags& flags) {
  Result<KfpPipelineVersion> version =
      UploadKfpPipelineVersion(client, flags.file, SelectorOf(flags), flags.version_name);
  if (!version) return Failed(version.error());
  SayIfAdopted(*version, "pipeline version");
  return Done({{"kf_pipeline_id", version->pipeline_id},
               {"kf_pipeline_version_id", version->id},
               {"kf_pipeline_version_name", version->name}});
}

Outcome ExperimentCreate(KfpClient& client, const KfpFlags& flags) {
  Result<KfpExperiment> experiment = EnsureKfpExperiment(client, flags.name, flags.description);
  if (!experiment) return Failed(experiment.error());
  SayIfAdopted(*experiment, "experiment");
  return Done({{"kf_experiment_id", experiment->id}});
}

// --interval and --timeout, checked when the flags are read, before any request is made.
void CheckWaitFlags(const KfpFlags& flags) {
  const auto interval = ParseDuration(flags.interval);
  const auto timeout = ParseDuration(flags.timeout);
  if (!interval || interval->count() <= 0) {
    throw CLI::ValidationError(
        "--interval", "must be a positive duration (15s, 1m), not \"" + flags.interval + "\"");
  }
  if (!timeout || timeout->count() <= 0) {
    throw CLI::ValidationError(
        "--timeout", "must be a positive duration (2h, 24h), not \"" + flags.timeout + "\"");
  }
}

Outcome Wait(KfpClient& client, const std::string& run_id, const KfpFlags& flags,
             std::stop_token stop, Outputs outputs) {
  const auto interval = ParseDuration(flags.interval);  // checked by CheckWaitFlags
  const auto timeout = ParseDuration(flags.timeout);
  std::string last_status = "-";
  Result<KfpRun> run = client.WaitForRun(run_id, *interval, *timeout, stop, [&](const KfpRun& r) {
    if (r.status != last_status) {  // progress on stderr, whatever the output format
      std::cerr << "kfp-eventd: run " << run_id << ": " << (r.status.empty() ? "Pending" : r.status)
                << "\n";
    }
    last_status = r.status;
  });
  if (!run) {
    if (run.error().code() == ErrorCode::kTimeout) {
      outputs.emplace_back("kf_run_status", last_status.empty() ? "Pending" : last_status);
      return {outputs, kExitTimedOut, run.error().message()};
    }
    return Failed(run.error());
  }
  outputs.emplace_back("kf_run_status", run->status);
  if (!run->Succeeded()) {
    return {
        outputs, kExitRunFailed,
        "run " + run_id + " ended " + run->status + (run->error.empty() ? "" : ": " + run->error)};
  }
  return Done(std::move(outputs));
}

// The ids a run would use, without starting one (the seed task with "Create New Pipeline Run"
// unchecked still sets them).
Outcome PipelineGet(KfpClient& client, const KfpFlags& flags) {
  Result<KfpVersionIds> ids = ResolveKfpVersion(client, SelectorOf(flags));
  if (!ids) return Failed(ids.error());
  return Done({{"kf_pipeline_id", ids->pipeline_id}, {"kf_pipeline_version_id", ids->version_id}});
}

Outcome RunCreate(KfpClient& client, const KfpFlags& flags, std::stop_token stop) {
  KfpRunRequest request{flags.run_name, flags.description, SelectorOf(flags),
                        flags.experiment_id, flags.experiment_name, {}};
  Result<KfpParameters> parameters = ParseKfpParameters(flags.params);
  if (!parameters) return Failed(parameters.error(), kExitUsage);
  request.parameters = std::move(*parameters);
  if (flags.azdo_callback) {
    Result<std::string> callback =
        AzureDevOpsCallbackParameter([](const char* name) { return EnvOr(name); });
    if (!callback) {
      return Failed(Status::InvalidArgument("--azdo-callback: " + callback.error().message()),
                    kExitUsage);
    }
    request.parameters.emplace_back(kAzureDevOpsCallbackParameter, *callback);
  }
  Result<KfpStartedRun> started = StartKfpRun(client, request);
  if (!started) return FailedStep(started.error());
  SayIfAdopted(started->experiment, "experiment");
  SayIfAdopted(started->run, "run");
  Outputs outputs = {{"kf_pipeline_id", started->ids.pipeline_id},
                     {"kf_pipeline_version_id", started->ids.version_id},
                     {"kf_experiment_id", started->experiment.id},
                     {"kf_run_id", started->run.id}};
  if (!flags.wait) return Done(std::move(outputs));
  return Wait(client, started->run.id, flags, stop, std::move(outputs));
}

Outcome RunGet(KfpClient& client, const KfpFlags& flags) {
  Result<KfpRun> run = client.GetRun(flags.run_id);
  if (!run) return Failed(run.error());
  return Done(
      {{"kf_run_id", run->id}, {"kf_run_status", run->status.empty() ? "Pending" : run->status}});
}

int RunKfp(const std::string& action, const KfpFlags& flags) {
  std::stop_source stop;
  const SignalStopper signals(stop);
  const std::string name = "kfp-eventd kfp " + action;
  KfpClientOptions options;
  options.api = flags.api == "v2beta1"   ? KfpApiVersion::kV2beta1
                : flags.api == "v1beta1" ? KfpApiVersion::kV1beta1
                                         : KfpApiVersion::kDetect;
  options.endpoint = flags.endpoint.empty() ? EnvOr("KFP_ENDPOINT") : flags.endpoint;
  options.token = flags.token.empty() ? EnvOr("KFP_TOKEN") : flags.token;
  options.token_file = flags.token_file;
  options.ca_file = flags.ca_file;
  options.insecure_skip_verify = flags.insecure;
  options.namespace_name = flags.namespace_name.empty() ? EnvOr("KFP_NAMESPACE")
                                                        : flags.namespace_name;
  if (options.endpoint.empty()) {
    std::cerr << name << ": no endpoint: give --endpoint URL or set KFP_ENDPOINT\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<KfpClient>> client = MakeKfpClient(options);
  if (!client) {
    std::cerr << name << ": " << client.error().message() << '\n';
    // Bad flags are bad usage; a server that could not be asked which API it speaks, a failure.
    return client.error().code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitCommandFailed;
  }
  Outcome outcome;
  if (action == "pipeline upload") outcome = PipelineUpload(**client, flags);
  if (action == "pipeline upload-version") outcome = PipelineUploadVersion(**client, flags);
  if (action == "pipeline get") outcome = PipelineGet(**client, flags);
  if (action == "experiment create") outcome = ExperimentCreate(**client, flags);
  if (action == "run create") outcome = RunCreate(**client, flags, stop.get_token());
  if (action == "run wait")
    outcome = Wait(**client, flags.run_id, flags, stop.get_token(), {{"kf_run_id", flags.run_id}});
  if (action == "run get") outcome = RunGet(**client, flags);
  const bool printed = PrintKfpOutputs(outcome.outputs, outcome.error, flags.output);
  if (!outcome.error.empty()) std::cerr << name << ": " << outcome.error << '\n';
  return outcome.exit_code == kExitOk && !printed ? kExitCommandFailed : outcome.exit_code;
}

}  // namespace

// --pipeline-id or --pipeline-name; the subcommand's callback requires one (RequirePipeline).
void AddPipelineFlags(CLI::App& command, KfpFlags& flags) {
  auto* by_id = command.add_option("--pipeline-id", flags.pipeline_id, "the pipeline's id");
  auto* by_name =
      command.add_option("--pipeline-name", flags.pipeline_name, "or the pipeline's name");
  by_id->excludes(by_name);
}

void RequirePipeline(const KfpFlags& flags) {
  if (flags.pipeline_id.empty() && flags.pipeline_name.empty()) {
    throw CLI::ValidationError("--pipeline-id or --pipeline-name", "one is required");
  }
}

// A pipeline, or a version id alone (its pipeline is read from the server).
void RequirePipelineOrVersionId(const KfpFlags& flags) {
  if (flags.version_id.empty()) RequirePipeline(flags);
}

// --version-id or --version-name of an existing version; neither: the pipeline's default one.
void AddVersionFlags(CLI::App& command, KfpFlags& flags) {
  auto* by_id = command.add_option("--version-id", flags.version_id,
                                   "version id (default: the default version); given alone, "
                                   "it names its pipeline too");
  auto* by_name = command.add_option("--version-name", flags.version_name, "or the version's name");
  by_id->excludes(by_name);
}

Command AddKfpCommand(CLI::App& app) {
  auto flags = std::make_shared<KfpFlags>();
  auto action = std::make_shared<std::string>();
  CLI::App* kfp = app.add_subcommand(
      "kfp", "Drive Kubeflow Pipelines from CI: upload pipelines, start runs, wait for them");
  kfp->require_subcommand(1);
  kfp->fallthrough();  // the connection flags may follow the subcommand
  kfp->add_option("--endpoint", flags->endpoint, "KFP API URL (default: $KFP_ENDPOINT)");
  kfp->add_option("--api", flags->api,
                  "the API version: auto (v2beta1 where the server speaks it, as KFP 2.x does), "
                  "v1beta1 or v2beta1")
      ->default_val(flags->api)
      ->check(CLI::IsMember({"auto", "v1beta1", "v2beta1"}));
  kfp->add_option("--token", flags->token, "bearer token (default: $KFP_TOKEN); never printed");
  kfp->add_option("--token-file", flags->token_file, "file holding the bearer token")
      ->check(CLI::ExistingFile);
  kfp->add_option("--ca-file", flags->ca_file, "CA bundle for the API's TLS")
      ->check(CLI::ExistingFile);
  kfp->add_flag("--insecure-skip-tls-verify", flags->insecure, "do not verify TLS (testing only)");
  kfp->add_option("--namespace", flags->namespace_name,
                  "multi-user Kubeflow: the profile namespace of experiments and runs (on v2beta1 "
                  "also of uploaded pipelines; lookups fall back to shared pipelines) "
                  "(default: $KFP_NAMESPACE)");
  kfp->add_option("-o,--output", flags->output,
                  "text, json, azdo (##vso[task.setvariable ...] output variables), github "
                  "(appended to $GITHUB_OUTPUT, with ::error::/::notice::), or dotenv "
                  "(KF_*=value lines, as GitLab's dotenv reports read them)")
      ->default_val("text")
      ->check(CLI::IsMember(KfpOutputFormats()));
  kfp->footer(
      "Examples:\n"
      "  kfp-eventd kfp pipeline upload --file pipeline.yaml --name churn\n"
      "  kfp-eventd kfp pipeline upload-version --file pipeline.yaml --pipeline-name churn \\\n"
      "      --version-name $(Build.BuildNumber)\n"
      "  kfp-eventd kfp run create --pipeline-name churn --experiment-name ci --name nightly \\\n"
      "      --params '{\"epochs\": \"3\"}' --wait -o azdo\n"
      "  kfp-eventd kfp run create ... --azdo-callback   # an agentless task waits; kfp-eventd\n"
      "                                                  # completes it when the run ends\n"
      "Connection flags (--endpoint, --token, --token-file, --ca-file, --api, -o) go with any\n"
      "kfp command: see `kfp-eventd kfp --help`. KFP_ENDPOINT and KFP_TOKEN work too.\n"
      "Exit codes: 0 done (the run succeeded); 1 the run ended without success; 2 bad flags;\n"
      "3 the command failed (API unreachable, refused, not found); 4 timed out waiting.");

  CLI::App* pipeline = kfp->add_subcommand("pipeline", "Upload pipelines and their versions");
  pipeline->require_subcommand(1);
  CLI::App* upload = pipeline->add_subcommand("upload", "Upload a new pipeline");
  upload->add_option("--file", flags->file, "compiled pipeline: .yaml, .tar.gz or .zip (32 MB)")
      ->required()
      ->check(CLI::ExistingFile);
  upload->add_option("--name", flags->name, "the pipeline's name")->required();
  upload->add_option("--description", flags->description, "its description");
  upload->callback([action] { *action = "pipeline upload"; });
  CLI::App* version = pipeline->add_subcommand("upload-version", "Upload a new version");
  version->add_option("--file", flags->file, "compiled pipeline: .yaml, .tar.gz or .zip (32 MB)")
      ->required()
      ->check(CLI::ExistingFile);
  AddPipelineFlags(*version, *flags);
  version->add_option("--version-name", flags->version_name, "the new version's name")->required();
  version->callback([action, flags] {
    RequirePipeline(*flags);
    *action = "pipeline upload-version";
  });

  CLI::App* get = pipeline->add_subcommand(
      "get", "Resolve a pipeline's and a version's ids without starting a run");
  AddPipelineFlags(*get, *flags);
  AddVersionFlags(*get, *flags);
  get->callback([action, flags] {
    RequirePipelineOrVersionId(*flags);
    *action = "pipeline get";
  });

  CLI::App* experiment = kfp->add_subcommand("experiment", "Experiments");
  experiment->require_subcommand(1);
  CLI::App* create_experiment =
      experiment->add_subcommand("create", "Create an experiment, or reuse the one of that name");
  create_experiment->add_option("--name", flags->name, "the experiment's name")->required();
  create_experiment->add_option("--description", flags->description, "its description");
  create_experiment->callback([action] { *action = "experiment create"; });

  CLI::App* run = kfp->add_subcommand("run", "Start runs and wait for them");
  run->require_subcommand(1);
  CLI::App* create_run = run->add_subcommand("create", "Start a run of a pipeline version");
  create_run->add_option("--name", flags->run_name, "the run's name")->required();
  AddPipelineFlags(*create_run, *flags);
  AddVersionFlags(*create_run, *flags);
  auto* experiment_id =
      create_run->add_option("--experiment-id", flags->experiment_id, "experiment id");
  auto* experiment_name = create_run->add_option("--experiment-name", flags->experiment_name,
                                                 "or its name (created when missing)");
  experiment_id->excludes(experiment_name);
  create_run->add_option("--description", flags->description, "the run's description");
  create_run->add_option("--params", flags->params,
                         "parameters: {\"name\":\"n\",\"value\":\"v\"},... or {\"n\":\"v\"}");
  create_run->add_flag("--azdo-callback", flags->azdo_callback,
                       "pass azdocallbackinfo built from the Azure DevOps job's variables, so "
                       "kfp-eventd completes the waiting agentless task when the run ends");
  create_run->add_flag("--wait", flags->wait, "wait for the run to end");
  create_run->add_option("--interval", flags->interval, "how often to poll")->default_val("15s");
  create_run->add_option("--timeout", flags->timeout, "how long to wait")->default_val("24h");
  create_run->callback([action, flags] {
    RequirePipelineOrVersionId(*flags);
    if (flags->experiment_id.empty() && flags->experiment_name.empty()) {
      throw CLI::ValidationError("--experiment-id or --experiment-name", "one is required");
    }
    if (flags->wait) CheckWaitFlags(*flags);
    *action = "run create";
  });
  CLI::App* wait_run = run->add_subcommand("wait", "Wait for a run to end");
  wait_run->add_option("--run-id", flags->run_id, "the run's id")->required();
  wait_run->add_option("--interval", flags->interval, "how often to poll")->default_val("15s");
  wait_run->add_option("--timeout", flags->timeout, "how long to wait")->default_val("24h");
  wait_run->callback([action, flags] {
    CheckWaitFlags(*flags);
    *action = "run wait";
  });
  CLI::App* get_run = run->add_subcommand("get", "Show a run's status");
  get_run->add_option("--run-id", flags->run_id, "the run's id")->required();
  get_run->callback([action] { *action = "run get"; });

  return [flags, action] { return RunKfp(*action, *flags); };
}

}  // namespace kfpevents::cli
