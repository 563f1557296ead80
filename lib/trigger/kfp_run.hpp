// Pipelines that start pipelines (`type: kfp-run`): a formatter that turns a notification into
// the run to start (its name, description and parameters, templated from the triggering run),
// and a Subscriber that starts it through the KFP client, exactly once per notification.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kfpevents/formatters.hpp"
#include "kfpevents/kfp.hpp"
#include "kfpevents/kfp_steps.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents::trigger {

// What to start, as the configuration's `run:` says.
struct RunToStart {
  KfpVersionSelector version;  // the pipeline (by id or name) and optionally its version
  std::string experiment;      // its name; created when missing
  std::string name;            // the run name's template; "" for "<pipeline> after <run>"
  std::vector<std::pair<std::string, std::string>> parameters;  // name -> value template
};

// Messages whose body is the run to start, as JSON: {"name", "description", "parameters":
// [[name, value], ...]}. The description ends with "trigger <message id>", which is how the
// subscriber finds a run it started before. A run of the very pipeline the trigger starts (by
// name) is never a trigger: Format answers kNotFound (filtered), so a run cannot start itself.
// kInvalidArgument names a template that does not parse or names an unknown field.
Result<std::unique_ptr<MessageFormatter>> MakeRunFormatter(RunToStart run,
                                                           TemplateOptions options);

// Starts the message's run of `run.version` in `run.experiment`, first looking in that
// experiment for a run of the same name whose description carries the message's trigger: found,
// it is adopted rather than started again (a crash between the start and the outbox's record,
// a redelivery). The token file, if any, is read at each delivery, so a rotated token is used.
// A pipeline, version or experiment the server does not have, or a parameter the pipeline does
// not declare or of the wrong type, is kPermanent (a dead letter with the reason); an outage is
// kRetryable. The client never creates twice after a lost answer (MakeKfpClient).
Result<std::unique_ptr<Subscriber>> MakeRunSubscriber(KfpClientOptions client, RunToStart run);

}  // namespace kfpevents::trigger
