// A client for the Kubeflow Pipelines REST API (v1beta1 or v2beta1), for CI systems: upload a
// pipeline or a version, find or create an experiment, start a run, wait for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents {

enum class KfpApiVersion {
  kV1beta1,  // KFP 1.x and 2.x: /apis/v1beta1, resource references, run.status
  kV2beta1,  // KFP 2.x: /apis/v2beta1, *_id fields, run.state
  kDetect,   // whichever the server speaks, v2beta1 first (MakeKfpClient asks its healthz)
};

struct KfpClientOptions {
  KfpApiVersion api = KfpApiVersion::kV1beta1;
  std::string endpoint;    // e.g. https://kfp.example.com or http://ml-pipeline-ui.kubeflow
  std::string token;       // bearer token; "" for none
  std::string token_file;  // or a file holding it (read once, whitespace trimmed)
  std::string ca_file;     // "" for the system's trust store
  // Multi-user Kubeflow: the profile namespace that experiments and runs live in (and, on
  // v2beta1, pipelines uploaded by this client); "" for single-user deployments.
  std::string namespace_name;
  bool insecure_skip_verify = false;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // per request
  int attempts = 3;  // tries on 5xx, 429 and network errors, 1 s then 2 s apart
};

// Uploads larger than this are refused before anything is sent (the API's own limit).
inline constexpr std::uint64_t kKfpMaxUploadBytes = 32ull * 1024 * 1024;

// `adopted` in the objects below: "" when this call created it; otherwise why it was found
// instead: the answer to its creation was lost, and what the server had made was adopted rather
// than made twice.
struct KfpPipeline {
  std::string id;
  std::string name;
  std::string default_version_id;  // "" when the API did not say
  std::string adopted;
};

struct KfpPipelineVersion {
  std::string id;
  std::string name;
  std::string pipeline_id;
  std::string adopted;
};

struct KfpExperiment {
  std::string id;
  std::string name;
  std::string adopted;
};

struct KfpRun {
  std::string id;
  std::string name;
  // v1beta1's status words, whichever API answered: "" (pending), Running, Succeeded, Failed,
  // Error, Skipped, Terminating, Terminated, Paused (v2's PENDING, RUNNING, SUCCEEDED, FAILED,
  // SKIPPED, CANCELING, CANCELED, PAUSED map onto them).
  std::string status;
  std::string error;       // the API's error text for the run, if any
  std::string created_at;  // RFC 3339, as the API says
  std::string adopted;
  std::string description;  // as the run was created with it

  bool Finished() const;   // Succeeded, Failed, Error, Skipped or Terminated
  bool Succeeded() const;  // Succeeded (Skipped counts as not failed)
};

// The parameters of a run, in order, as given: name and value text.
using KfpParameters = std::vector<std::pair<std::string, std::string>>;

// The parameters as the run is created with them: each value with the JSON type the pipeline
// declares for it (KFP 2.x), or a string (KFP 1.x).
using KfpTypedParameters = std::vector<Parameter>;

// The values of `parameters` converted to the types a KFP 2.x pipeline declares
// (root.inputDefinitions.parameters: STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT,
// as `declared` maps them by name). kInvalidArgument names a value that is not of its type, and
// a parameter the pipeline does not declare (KFP 2.x refuses both).
KFPEVENTS_EXPORT Result<KfpTypedParameters> TypeKfpParameters(
    const KfpParameters& parameters,
    const std::vector<std::pair<std::string, std::string>>& declared);

// What a run is created with. pipeline_id may be "" on v1beta1 (the version names it).
struct KfpRunSpec {
  std::string name;
  std::string description;
  std::string experiment_id;
  std::string pipeline_id;
  std::string pipeline_version_id;
  KfpTypedParameters parameters;
};

// Reads parameters as CI tools pass them: the list form {"name":"n1","value":"v1"},{...} with
// or without the surrounding brackets, or a plain JSON object {"n1":"v1"}. Values that are not
// strings are kept as their JSON text. kInvalidArgument says what is wrong.
KFPEVENTS_EXPORT Result<KfpParameters> ParseKfpParameters(const std::string& text);

// Errors: kUnavailable (network, 5xx after the retries), kPermanent (another 4xx; 401/403 say
// to check the token), kNotFound (404), kInvalidArgument (bad input, e.g. a file too large).
// Messages carry the API's own message and never the token.
class KFPEVENTS_EXPORT KfpClient {
 public:
  KfpClient(const KfpClient&) = delete;
  KfpClient& operator=(const KfpClient&) = delete;
  virtual ~KfpClient();

  virtual Result<KfpPipeline> UploadPipeline(const std::string& file, const std::string& name,
                                             const std::string& description) = 0;
  virtual Result<KfpPipelineVersion> UploadPipelineVersion(const std::string& file,
                                                           const std::string& pipeline_id,
                                                           const std::string& version_name) = 0;
  virtual Result<std::optional<KfpPipeline>> FindPipeline(const std::string& name) = 0;
  virtual Result<std::optional<KfpPipelineVersion>> FindPipelineVersion(
      const std::string& pipeline_id, const std::string& name) = 0;
  // The pipeline with its default version (v2beta1 has none: the newest version stands in).
  virtual Result<KfpPipeline> GetPipeline(const std::string& pipeline_id) = 0;
  // A version by id, with the pipeline it belongs to; `pipeline_id` may be "" when unknown
  // (v2beta1 then asks the server's v1beta1 API, which KFP 2.x serves too, to find it).
  virtual Result<KfpPipelineVersion> GetPipelineVersion(const std::string& pipeline_id,
                                                        const std::string& version_id) = 0;
  virtual Result<std::optional<KfpExperiment>> FindExperiment(const std::string& name) = 0;
  virtual Result<KfpExperiment> CreateExperiment(const std::string& name,
                                                 const std::string& description) = 0;
  // The parameters as the pipeline version declares them, so that they can be checked before
  // anything is created: v2beta1 reads the version's pipeline spec and converts each value with
  // TypeKfpParameters; v1beta1 passes strings, as KFP 1.x takes them.
  virtual Result<KfpTypedParameters> TypeParameters(const std::string& pipeline_id,
                                                    const std::string& pipeline_version_id,
                                                    const KfpParameters& parameters) = 0;
  virtual Result<KfpRun> CreateRun(const KfpRunSpec& run) = 0;
  virtual Result<KfpRun> GetRun(const std::string& run_id) = 0;
  // The runs of an experiment with this name (at most a page of 100), newest first where the API
  // sorts them.
  virtual Result<std::vector<KfpRun>> FindRuns(const std::string& experiment_id,
                                               const std::string& name) = 0;

  // Polls GetRun every `interval` until the run finishes; kTimeout after `timeout`, kCancelled
  // on `stop`. `on_poll` (may be empty) sees each answer. A poll that fails transiently is
  // retried at the next interval.
  Result<KfpRun> WaitForRun(const std::string& run_id, std::chrono::milliseconds interval,
                            std::chrono::milliseconds timeout, std::stop_token stop,
                            const std::function<void(const KfpRun&)>& on_poll = {});

 protected:
  KfpClient() = default;
};

// Creating is never repeated blindly: after an answer that may have been lost (a 5xx, a timeout,
// a cut connection), the client looks for what the request may have made (a pipeline or version
// by name, an experiment by name, a run by experiment and name created since the request, less
// five minutes for clocks that differ) and adopts it (`adopted` says so); it creates again only
// when nothing is there, and fails saying the object may exist when that cannot be told.
// Errors: kInvalidArgument for an endpoint that is not http(s) or an unreadable token file.
// kDetect, and kV2beta1 too, first ask the server's /apis/v2beta1/healthz: kDetect takes
// v2beta1 when it answers and v1beta1 when only /apis/v1beta1/healthz does; kV2beta1 against a
// server that speaks v1beta1 only (KFP 1.x) is kInvalidArgument, saying so. Other failures of
// those requests are returned as the client's requests return them.
KFPEVENTS_EXPORT Result<std::unique_ptr<KfpClient>> MakeKfpClient(KfpClientOptions options);

}  // namespace kfpevents
