// Starts a KFP run per notification, once: a run this trigger started before is found by its
// name and the trigger in its description, and adopted instead of started again.
#include <rapidjson/document.h>

#include "json/json_fields.hpp"
#include "kfpevents/config.hpp"
#include "trigger/kfp_run.hpp"

namespace kfpevents::trigger {
namespace {

struct RunRequest {
  std::string name;
  std::string description;
  KfpParameters parameters;
};

std::optional<RunRequest> ParseRequest(const std::string& body) {
  rapidjson::Document document;
  document.Parse(body.c_str(), body.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  RunRequest request{json::StringMember(document, "name"),
                     json::StringMember(document, "description"), {}};
  const auto parameters = document.FindMember("parameters");
  if (parameters == document.MemberEnd() || !parameters->value.IsArray()) return std::nullopt;
  for (const rapidjson::Value& pair : parameters->value.GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString()) {
      return std::nullopt;
    }
    request.parameters.emplace_back(pair[0].GetString(), pair[1].GetString());
  }
  return request;
}

// What the outbox does with a failure: an outage is retried, a refusal is a dead letter.
DeliveryResult Failed(const std::string& step, const Status& status) {
  const ErrorCode code = status.code();
  const bool retry = code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout ||
                     code == ErrorCode::kCancelled || code == ErrorCode::kInternal;
  return {retry ? DeliveryOutcome::kRetryable : DeliveryOutcome::kPermanent,
          step + ": " + status.message(), 0, std::nullopt};
}

class RunSubscriber final : public Subscriber {
 public:
  RunSubscriber(KfpClientOptions client, RunToStart run)
      : client_options_(std::move(client)), run_(std::move(run)) {}

  // Each delivery has its own client and its own trigger: as many at once as `concurrency` asks.
  int MaxConcurrentDeliveries() const override { return kMaxConcurrency; }

  DeliveryResult Deliver(const Message& message, std::stop_token stop) override {
    if (stop.stop_requested()) {
      return {DeliveryOutcome::kRetryable, "cancelled: shutting down", 0, std::nullopt};
    }
    const std::optional<RunRequest> request = ParseRequest(message.body);
    if (!request) {
      return {DeliveryOutcome::kPermanent,
              "the message is not a run to start (a kfp-run subscriber needs its own formatter)",
              0, std::nullopt};
    }
    // A client per delivery: the token file is read again, so a rotated token is picked up.
    Result<std::unique_ptr<KfpClient>> client = MakeKfpClient(client_options_);
    if (!client) return Failed("connecting to KFP at " + client_options_.endpoint, client.error());
    Result<KfpExperiment> experiment =
        EnsureKfpExperiment(**client, run_.experiment, "Runs started by kfp-eventd");
    if (!experiment) return Failed("experiment " + run_.experiment, experiment.error());

    // Started before (a crash before the outbox recorded it, a redelivery)? Then adopt it.
    Result<std::optional<KfpRun>> earlier = FindStarted(**client, experiment->id, *request, message);
    if (!earlier) return Failed("looking for a run this trigger started", earlier.error());
    if (*earlier) return Adopted(**earlier, "was started for this trigger before");

    KfpRunRequest start;
    start.name = request->name;
    start.description = request->description;
    start.version = run_.version;
    start.experiment_id = experiment->id;
    start.parameters = request->parameters;
    Result<KfpStartedRun> started = StartKfpRun(**client, start);
    if (started && !started->run.adopted.empty() &&
        !started->run.description.ends_with("trigger " + message.id)) {
      // The client adopted a run of that name after a lost answer, but another trigger started
      // it: this trigger's run may or may not exist. Look again at the next attempt.
      Result<std::optional<KfpRun>> made = FindStarted(**client, experiment->id, *request, message);
      if (made && *made) return Adopted(**made, "was started although the answer was lost");
      return {DeliveryOutcome::kRetryable,
              "the answer to starting the run was lost, and the run found of that name belongs "
              "to another trigger; looking again at the next attempt",
              0, std::nullopt};
    }
    if (started) {
      return {DeliveryOutcome::kDelivered,
              "started run " + started->run.id +
                  (started->run.adopted.empty() ? "" : " (" + started->run.adopted + ")"),
              0, std::nullopt};
    }
    // The answer was lost and the client could not tell which run of that name was made (several
    // share it): the trigger in the description can.
    const ErrorCode code = started.error().code();
    if (code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout) {
      Result<std::optional<KfpRun>> made = FindStarted(**client, experiment->id, *request, message);
      if (made && *made) return Adopted(**made, "was started although the answer was lost");
    }
    return Failed("starting a run of " + Target(), started.error());
  }

 private:
  // The run of this name in the experiment whose description ends with this message's trigger.
  static Result<std::optional<KfpRun>> FindStarted(KfpClient& client,
                                                   const std::string& experiment_id,
                                                   const RunRequest& request,
                                                   const Message& message) {
    Result<std::vector<KfpRun>> runs = client.FindRuns(experiment_id, request.name);
    if (!runs) return runs.error();
    for (KfpRun& run : *runs) {
      if (run.description.ends_with("trigger " + message.id)) {
        return std::optional<KfpRun>(std::move(run));
      }
    }
    return std::optional<KfpRun>();
  }

  static DeliveryResult Adopted(const KfpRun& run, const std::string& why) {
    return {DeliveryOutcome::kDelivered, "run " + run.id + " " + why + "; adopted it", 0,
            std::nullopt};
  }

  std::string Target() const {
    return !run_.version.pipeline_name.empty() ? "pipeline " + run_.version.pipeline_name
                                               : "pipeline " + run_.version.pipeline_id;
  }

  const KfpClientOptions client_options_;
  const RunToStart run_;
};

}  // namespace

Result<std::unique_ptr<Subscriber>> MakeRunSubscriber(KfpClientOptions client, RunToStart run) {
  if (run.version.pipeline_name.empty() && run.version.pipeline_id.empty() &&
      run.version.version_id.empty()) {
    return Status::InvalidArgument("run needs a `pipeline` or a `pipelineId`");
  }
  if (run.experiment.empty()) return Status::InvalidArgument("run needs an `experiment`");
  return std::unique_ptr<Subscriber>(
      std::make_unique<RunSubscriber>(std::move(client), std::move(run)));
}

}  // namespace kfpevents::trigger
