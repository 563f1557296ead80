// Leader election with a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it:
// replicas race to hold the Lease; the holder renews it every retry period; the others take it
// over once it has gone unrenewed for its duration (measured on their own clock from when they
// last saw it change, so clocks need not agree).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "kfpevents/clock.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/health.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/metrics.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

struct LeaderElectionOptions {
  ApiConnection connection;
  std::string lease_namespace;  // required
  std::string lease_name = "kfp-eventd";
  std::string identity;  // required, unique per replica (the pod's name)
  std::chrono::milliseconds lease_duration{15'000};  // how long others wait before taking over
  std::chrono::milliseconds renew_deadline{10'000};  // the leader gives up after this unrenewed
  std::chrono::milliseconds retry_period{2'000};     // between attempts to acquire or renew
  // Called before each renewal (on the renewing thread): annotations to write on the Lease, such
  // as where this leader's watches are, for whoever leads next.
  std::function<std::map<std::string, std::string>()> annotations;
  std::shared_ptr<Logger> logger;
  std::shared_ptr<MetricsRegistry> metrics;  // kfp_eventd_leader, kfp_eventd_leader_changes_total
  std::shared_ptr<Readiness> readiness;      // check "leader-election": leader or standby
  std::shared_ptr<Clock> clock;              // null: SystemClock()
};

class KFPEVENTS_EXPORT LeaderElector {
 public:
  virtual ~LeaderElector();  // releases the Lease if still held

  // Blocks until this replica holds the Lease (true) or `stop` is requested (false). While it
  // leads, a thread renews the Lease; if no renewal succeeds for the renew deadline, or the
  // Lease turns out to be held by another, `on_lost` runs once on that thread: stop sending at
  // once, since others may take over when the lease duration has passed.
  virtual bool Acquire(std::stop_token stop, std::function<void()> on_lost) = 0;
  // The Lease as it was when this replica acquired it: the previous holder ("" if none) and
  // its annotations.
  virtual std::string PreviousHolder() const = 0;
  virtual std::map<std::string, std::string> InheritedAnnotations() const = 0;
  // Stops renewing and, while still leading, gives the Lease up so that a standby takes over
  // at once instead of after the lease duration. The annotations are written a last time
  // (LeaderElectionOptions::annotations), so the next leader goes on from the final state.
  virtual void Release() = 0;
};

// Errors (kInvalidArgument): a missing namespace or identity, or durations out of order (lease
// duration > renew deadline > retry period > 0 is required).
KFPEVENTS_EXPORT Result<std::unique_ptr<LeaderElector>> MakeLeaderElector(
    LeaderElectionOptions options);

// What a leader leaves on the Lease for the next one: where its watches had got to. A new
// leader whose local state does not know more resumes there, so a failover neither replays the
// past nor skips what happened meanwhile.
inline constexpr const char* kHandoverAnnotation = "kfp-eventd/checkpoints";
struct Handover {
  std::chrono::system_clock::time_point at;        // when it was written
  std::map<std::string, std::string> checkpoints;  // watch scope -> resourceVersion
  // Who wrote it. A Lease given up on a graceful stop has no holder any more, but keeps this.
  std::string holder;
};
// {"at":"2026-11-23T07:00:00.000000Z","checkpoints":{"kubeflow":"48042"},"holder":"pod-a"}
KFPEVENTS_EXPORT std::string EncodeHandover(const Handover& handover);
// nullopt when `text` is not what EncodeHandover writes.
KFPEVENTS_EXPORT std::optional<Handover> DecodeHandover(std::string_view text);

}  // namespace kfpevents
