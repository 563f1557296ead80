// Replay: feed a recorded JSON-lines file through the pipeline, with no cluster.
#pragma once

#include <memory>
#include <string>

#include "kfpevents/event_source.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents {

struct ReplayOptions {
  // A file of JSON lines, "-" for standard input. Each line is a Kubernetes watch event
  // ({"type":"ADDED","object":{...}}) or a bare object. Events (kind Event, or no kind) are
  // replayed in order; Workflow objects are served by the resolver (the last copy of each
  // workflow wins). Empty lines and lines starting with '#' are ignored. Watch events of type
  // DELETED, BOOKMARK and ERROR are skipped, as a live watch would.
  std::string path;
  // Lines longer than this are reported and skipped.
  std::size_t max_line_bytes = 16 * 1024 * 1024;
  std::shared_ptr<Logger> logger;  // bad lines are reported here with their line numbers
};

struct ReplayParts {
  std::unique_ptr<EventSource> source;
  std::unique_ptr<WorkflowResolver> resolver;  // answers kNotFound for unrecorded workflows
  std::size_t bad_lines = 0;                   // lines reported and skipped
};

// Reads the whole file. Errors: kNotFound / kInvalidArgument when it cannot be opened or read.
KFPEVENTS_EXPORT Result<ReplayParts> MakeReplay(const ReplayOptions& options);

}  // namespace kfpevents
