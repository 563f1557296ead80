// EventSource: where workflow events come from (a Kubernetes watch, a recorded file, ...).
#pragma once

#include <optional>
#include <stop_token>

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents {

class KFPEVENTS_EXPORT EventSource {
 public:
  EventSource() = default;
  EventSource(const EventSource&) = delete;
  EventSource& operator=(const EventSource&) = delete;
  virtual ~EventSource();

  // Returns the next event, in the order the source saw them.
  //  - an event: hand it on;
  //  - std::nullopt: the source is exhausted (a finite replay) or `stop` was requested;
  //  - an error: the source cannot go on (unreadable file, credentials refused for good).
  // A malformed item is the source's own business: it reports it through its logger and skips
  // it; it never ends the stream.
  //
  // Threading: called from the pipeline's source thread only, never concurrently.
  // Blocking: may block until an event arrives; must return promptly (well under a second)
  // once `stop` is requested. The returned event is owned by the caller.
  virtual Result<std::optional<WorkflowEvent>> Next(std::stop_token stop) = 0;
};

}  // namespace kfpevents
