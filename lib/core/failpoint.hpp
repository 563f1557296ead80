// Crash points for the crash tests: with KFP_EVENTD_FAILPOINT=<name>[:<n>] in the environment
// the process kills itself with SIGKILL the n-th time (default 1st) it reaches Failpoint(name),
// exactly as a node failure or the OOM killer would. Costs one relaxed load otherwise.
#pragma once

namespace kfpevents {

// The points: "before-commit" (a batch is built, not committed), "after-commit" (committed,
// not handed to delivery), "after-send" (a subscriber accepted a message, the store does not
// know yet).
void Failpoint(const char* name);

}  // namespace kfpevents
