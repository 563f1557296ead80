#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "core/thread_name.hpp"
#include "kfpevents/leader.hpp"
#include "kube/api_client.hpp"
#include "kube/lease.hpp"

namespace kfpevents {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

class LeaseElector final : public LeaderElector {
 public:
  explicit LeaseElector(LeaderElectionOptions options)
      : options_(std::move(options)),
        client_(options_.connection,
                std::make_shared<kube::TokenSource>(options_.connection)),
        path_("/apis/coordination.k8s.io/v1/namespaces/" +
              kube::QueryEscape(options_.lease_namespace) + "/leases"),
        lease_path_(path_ + "/" + kube::QueryEscape(options_.lease_name)),
        leader_(options_.metrics->GetGauge("kfp_eventd_leader",
                                           "1 while this replica holds the leader Lease.")),
        changes_(
            options_.metrics->GetCounter("kfp_eventd_leader_changes_total",
                                         "Times this replica became or stopped being the leader.")),
        random_(std::random_device{}()) {}

  ~LeaseElector() override { Release(); }

  bool Acquire(std::stop_token stop, std::function<void()> on_lost) override {
    Log(LogLevel::kInfo, "waiting to lead: Lease " + options_.lease_namespace + "/" +
                             options_.lease_name + " as " + options_.identity);
    for (;;) {
      if (stop.stop_requested()) return false;
      if (TryAcquireOrRenew(stop, /*acquiring=*/true)) break;
      options_.clock->SleepFor(Jittered(options_.retry_period), stop);
    }
    leader_.Set(1);
    changes_.Add();
    Ready("leader");
    Log(LogLevel::kInfo,
        "leading: acquired Lease " + options_.lease_namespace + "/" + options_.lease_name +
            (previous_holder_.empty() ? std::string()
                                      : " (previous holder " + previous_holder_ + ")"));
    renewer_ = std::jthread([this, on_lost = std::move(on_lost)](std::stop_token renew_stop) {
      NameThisThread("kfp-lease");
      Renew(renew_stop, on_lost);
    });
    return true;
  }

  std::string PreviousHolder() const override { return previous_holder_; }
  std::map<std::string, std::string> InheritedAnnotations() const override { return inherited_; }

  void Release() override {
    if (!renewer_.joinable()) return;
    renewer_.request_stop();
    renewer_.join();
    if (!leading_) return;
    // Give the Lease up: a standby sees no holder and takes over at its next attempt. Read it
    // first: a renewal cut short by the stop may have been applied all the same.
    std::string why = "it is no longer ours";
    bool released = false;
    for (int attempt = 0; attempt < 2 && !released; ++attempt) {
      Result<kube::ApiResponse> got =
          client_.Get(lease_path_, {}, 1024 * 1024, options_.retry_period);
      Result<kube::LeaseRecord> current =
          got && got->status == 200 ? kube::DecodeLease(got->body)
                                    : Result<kube::LeaseRecord>(Status::Unavailable(Describe(got)));
      if (!current) {
        why = current.error().message();
        break;
      }
      if (current->holder != options_.identity) break;
      current->holder.clear();
      // The final handover: the next leader goes on from where this one really stopped.
      if (options_.annotations) current->annotations = options_.annotations();
      current->duration_seconds = 1;
      current->renew_time = kube::MicroTime(std::chrono::system_clock::now());
      Result<kube::ApiResponse> answer =
          client_.Send("PUT", lease_path_,
                       kube::EncodeLease(*current, options_.lease_namespace, options_.lease_name),
                       {}, options_.retry_period);
      released = answer && answer->status == 200;
      why = Describe(answer);  // a 409: changed meanwhile; read it again
    }
    leading_ = false;
    leader_.Set(0);
    changes_.Add();
    if (released) {
      Log(LogLevel::kInfo, "released the Lease");
    } else {
      Log(LogLevel::kWarning,
          "could not release the Lease (" + why + "); others take over when it expires");
    }
  }

 private:
  void Log(LogLevel level, const std::string& message) const {
    options_.logger->Log(level, "leader election: " + message);
  }

  void Ready(const std::string& state) {
    if (options_.readiness) options_.readiness->Pass("leader-election", state);
  }

  std::chrono::milliseconds Jittered(std::chrono::milliseconds period) {
    std::uniform_real_distribution<double> extra(0.0, 0.2);  // client-go's JitterFactor 1.2
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(static_cast<double>(period.count()) * (1.0 + extra(random_))));
  }

  static std::string Describe(const Result<kube::ApiResponse>& answer) {
    if (!answer) return answer.error().message();
    return "HTTP " + std::to_string(answer->status);
  }

  // One round of client-go's tryAcquireOrRenew. True when this replica holds the Lease now.
  bool TryAcquireOrRenew(std::stop_token stop, bool acquiring) {
    const auto now = std::chrono::system_clock::now();
    Result<kube::ApiResponse> got =
        client_.Get(lease_path_, stop, 1024 * 1024, options_.retry_period);
    kube::LeaseRecord wanted;
    wanted.holder = options_.identity;
    wanted.duration_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(options_.lease_duration).count();
    wanted.renew_time = kube::MicroTime(now);
    if (options_.annotations) wanted.annotations = options_.annotations();

    if (got && got->status == 404) {
      wanted.acquire_time = wanted.renew_time;
      Result<kube::ApiResponse> created = client_.Send(
          "POST", path_, kube::EncodeLease(wanted, options_.lease_namespace, options_.lease_name),
          stop, options_.retry_period);
      if (!created || (created->status != 201 && created->status != 200)) {
        if (!stop.stop_requested()) Fail("cannot create the Lease: " + Describe(created));
        return false;
      }
      return Took(std::move(created->body), /*previous=*/{});
    }
    if (!got || got->status != 200) {
      if (!stop.stop_requested()) Fail("cannot read the Lease: " + Describe(got));
      return false;
    }
    Result<kube::LeaseRecord> current = kube::DecodeLease(got->body);
    if (!current) {
      if (!stop.stop_requested()) Fail(current.error().message());
      return false;
    }
    // Expiry is judged on our own clock, from when we last saw the record change.
    const auto seen = options_.clock->Now();
    if (current->holder != observed_.holder || current->renew_time != observed_.renew_time ||
        current->resource_version != observed_.resource_version) {
      observed_time_ = seen;
    }
    observed_ = *current;
    const bool held_by_other = !current->holder.empty() && current->holder != options_.identity;
    const auto duration = std::chrono::seconds(current->duration_seconds);
    if (held_by_other && observed_time_ + duration > seen) {
      if (acquiring) Ready("standby; the leader is " + current->holder);
      if (!acquiring) lost_to_ = current->holder;
      return false;
    }
    if (current->holder == options_.identity) {
      wanted.acquire_time = current->acquire_time;
      wanted.transitions = current->transitions;
    } else {
      wanted.acquire_time = wanted.renew_time;
      wanted.transitions = current->transitions + 1;
    }
    if (!options_.annotations) wanted.annotations = current->annotations;
    wanted.resource_version = current->resource_version;  // optimistic concurrency
    Result<kube::ApiResponse> updated =
        client_.Send("PUT", lease_path_,
                     kube::EncodeLease(wanted, options_.lease_namespace, options_.lease_name), stop,
                     options_.retry_period);
    if (updated && updated->status == 409) {
      Log(LogLevel::kDebug, "another replica updated the Lease first (409 Conflict)");
      return false;
    }
    if (!updated || updated->status != 200) {
      if (!stop.stop_requested()) Fail("cannot update the Lease: " + Describe(updated));
      return false;
    }
    return Took(std::move(updated->body), *current);
  }

  // The write succeeded: remember the record as the server returned it.
  bool Took(std::string body, const kube::LeaseRecord& previous) {
    Result<kube::LeaseRecord> record = kube::DecodeLease(body);
    if (!record) {
      Fail("unreadable Lease in the answer: " + record.error().message());
      return false;
    }
    if (!leading_) {
      previous_holder_ = previous.holder;
      inherited_ = previous.annotations;
    }
    observed_ = std::move(*record);
    observed_time_ = options_.clock->Now();
    leading_ = true;
    return true;
  }

  void Fail(const std::string& why) {
    Log(LogLevel::kWarning, why);
    if (!leading_ && options_.readiness) options_.readiness->Fail("leader-election", why);
  }

  void Renew(std::stop_token stop, const std::function<void()>& on_lost) {
    auto last_renewed = options_.clock->Now();
    while (!stop.stop_requested()) {
      options_.clock->SleepFor(options_.retry_period, stop);
      if (stop.stop_requested()) return;
      lost_to_.clear();
      if (TryAcquireOrRenew(stop, /*acquiring=*/false)) {
        last_renewed = options_.clock->Now();
        continue;
      }
      if (stop.stop_requested()) return;
      const bool deadline_passed =
          options_.clock->Now() - last_renewed >= options_.renew_deadline;
      if (lost_to_.empty() && !deadline_passed) continue;
      leading_ = false;
      leader_.Set(0);
      changes_.Add();
      Log(LogLevel::kError, lost_to_.empty() ? "lost the Lease: not renewed for " +
                                                   std::to_string(options_.renew_deadline.count()) +
                                                   " ms; stopping before it can expire"
                                             : "lost the Lease to " + lost_to_ + "; stopping");
      if (options_.readiness) options_.readiness->Fail("leader-election", "lost the Lease");
      on_lost();
      return;
    }
  }

  LeaderElectionOptions options_;
  kube::ApiClient client_;        // used by one thread at a time: Acquire, then the renewer
  const std::string path_;        // the namespace's Leases: where one is created
  const std::string lease_path_;  // this Lease
  Gauge& leader_;
  Counter& changes_;
  std::mt19937_64 random_;
  kube::LeaseRecord observed_;
  SteadyTime observed_time_{};
  std::string lost_to_;
  std::string previous_holder_;
  std::map<std::string, std::string> inherited_;
  std::atomic<bool> leading_ = false;
  std::jthread renewer_;
};

}  // namespace

LeaderElector::~LeaderElector() = default;

Result<std::unique_ptr<LeaderElector>> MakeLeaderElector(LeaderElectionOptions options) {
  if (options.lease_namespace.empty()) {
    return Status::InvalidArgument("leader election needs the Lease's namespace");
  }
  if (options.identity.empty()) {
    return Status::InvalidArgument("leader election needs an identity (the pod's name)");
  }
  if (options.lease_name.empty()) return Status::InvalidArgument("the Lease needs a name");
  if (!(options.lease_duration > options.renew_deadline &&
        options.renew_deadline > options.retry_period && options.retry_period.count() > 0)) {
    return Status::InvalidArgument(
        "leader election needs lease duration > renew deadline > retry period > 0");
  }
  if (options.lease_duration < std::chrono::seconds(1)) {
    return Status::InvalidArgument("the lease duration must be at least 1s (Leases count seconds)");
  }
  if (!options.logger) options.logger = MakeNullLogger();
  if (!options.metrics) options.metrics = std::make_shared<MetricsRegistry>();
  if (!options.clock) options.clock = SystemClock();
  return std::unique_ptr<LeaderElector>(std::make_unique<LeaseElector>(std::move(options)));
}

}  // namespace kfpevents
