// How `kfp-eventd kfp` hands its results to a CI system: the kf_* output values, and the error
// when it failed, in the format `-o` names.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kfpevents::cli {

using Outputs = std::vector<std::pair<std::string, std::string>>;

// The formats -o takes: text, json, azdo, github, dotenv.
const std::vector<std::string>& KfpOutputFormats();

// Writes `outputs` (and `error`, "" when none) for `format`:
// - text: "name: value" lines; json: one object;
// - azdo: ##vso[task.setvariable ...;isOutput=true] lines, and ##vso[task.logissue type=error]
//   with the error, every value escaped as the agent unescapes it;
// - github: name=value lines appended to the file $GITHUB_OUTPUT names (a value with a line
//   break as name<<delimiter), then ::error:: with the error or ::notice:: with the run id;
// - dotenv: KEY=VALUE lines (GitLab's artifacts:reports:dotenv, shells); a line break in a value
//   is written as a space, since the format has no escape for it.
// Returns false when the outputs could not be written (github without $GITHUB_OUTPUT writable).
bool PrintKfpOutputs(const Outputs& outputs, const std::string& error, const std::string& format);

}  // namespace kfpevents::cli
