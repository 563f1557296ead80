// Kubernetes: where the API server is and how to authenticate to it, the Events watch source,
// and the Workflow resolvers (Kubernetes API or Argo Server), with a cache in front.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kfpevents/event_source.hpp"
#include "kfpevents/export.hpp"
#include "kfpevents/health.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents {

// How to reach an HTTPS API (the Kubernetes API server, or Argo Server) and prove who we are.
// Holds secrets (token, client key): never log or print it.
// A kubeconfig user's `exec`: a client-go credential plugin (kubelogin, aws eks get-token,
// gke-gcloud-auth-plugin) that prints an ExecCredential with a bearer token.
struct ExecCredentialConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or v1beta1
  std::string command;      // a name looked up on PATH, or a path (relative: to the kubeconfig)
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to kfp-eventd's environment
  // KUBERNETES_EXEC_INFO carries spec.cluster: server, certificate-authority-data and
  // insecure-skip-tls-verify (not the cluster's exec extension config).
  bool provide_cluster_info = false;
  std::string install_hint;  // said when the command cannot be run
};

struct ApiConnection {
  std::string server;                     // "https://host:port", no trailing path
  std::string ca_pem;                     // CA bundle to verify the server; "" = system CAs
  bool insecure_skip_tls_verify = false;  // only when explicitly configured
  std::string token;                      // a static bearer token
  std::string token_file;                 // re-read about every minute and after a 401
  std::string client_cert_pem;            // TLS client certificate and its key
  std::string client_key_pem;
  // A credential plugin: run for a token when none is cached, when the cached one expires, and
  // after a 401. Its output is never logged.
  std::optional<ExecCredentialConfig> exec;
  std::string namespace_name;  // the context's or the pod's namespace; "" if none
  std::string origin;          // where this came from, for messages ("in-cluster")
};

inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

// In-cluster credentials: KUBERNETES_SERVICE_HOST/_PORT and the service account's token,
// ca.crt and namespace in `service_account_dir`. kNotFound when not running in a pod.
KFPEVENTS_EXPORT Result<ApiConnection> InClusterConnection(
    const std::string& service_account_dir = kServiceAccountDir);

// A kubeconfig file: the context `context` (or current-context), its cluster and user.
// Supported: server, certificate-authority(-data), insecure-skip-tls-verify, token, tokenFile,
// client-certificate(-data), client-key(-data), and exec plugins that return a token
// (client.authentication.k8s.io/v1 and v1beta1; interactiveMode Always is refused, since the
// daemon has no terminal). auth-provider users are refused with an error that names them.
// Relative paths are relative to the file's folder.
KFPEVENTS_EXPORT Result<ApiConnection> LoadKubeconfig(const std::string& path,
                                                      const std::string& context = "");

// What kubectl would use: `kubeconfig` when given; else the first file of $KUBECONFIG; else
// in-cluster credentials when KUBERNETES_SERVICE_HOST is set; else ~/.kube/config.
KFPEVENTS_EXPORT Result<ApiConnection> DiscoverConnection(const std::string& kubeconfig,
                                                          const std::string& context);

// Argo Server at `url` (https://host:2746), with a bearer token read from `token_file` (may be
// "") and its CA bundle from `ca_file` ("" = system CAs).
KFPEVENTS_EXPORT Result<ApiConnection> ArgoServerConnection(const std::string& url,
                                                            const std::string& token_file,
                                                            const std::string& ca_file,
                                                            bool insecure_skip_tls_verify);

// Waits between failed attempts: exponential with full jitter, as client-go's reflector does.
struct BackoffPolicy {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds max{30'000};
  std::chrono::milliseconds reset_after{120'000};  // healthy this long: start again at initial
};

struct KubeEventSourceOptions {
  ApiConnection connection;
  std::vector<std::string> namespaces;  // the namespaces to watch; empty: all namespaces
  // Server-side filter. The default misses node events that Argo records about Pods
  // (nodeEvents.sendAsPod); "source=workflow-controller" catches both kinds.
  std::string field_selector = "involvedObject.kind=Workflow";
  std::string source_component = "workflow-controller";  // client-side filter; "" keeps all
  // Events that exist at the first list are a baseline and not notified, except those whose
  // lastTimestamp is within this much of the start.
  std::chrono::milliseconds since{0};
  // Restarting on a state store that remembers what was notified (StateStore::fresh() false):
  // the first list is no baseline; it offers every Event whose lastTimestamp is at or after
  // this (the store's baseline), and the pipeline skips what was notified before.
  std::optional<std::chrono::system_clock::time_point> resume_after;
  // Where each watch resumes without listing first (StateStore::Checkpoints()): scope ("*" for
  // all namespaces, else the namespace) -> resourceVersion. Used only with resume_after.
  std::map<std::string, std::string> resume_from;
  // Reconciliation: also list and watch Workflows (summaries only) and hand on, as events, the
  // phase changes their status shows (workflow and node Running, Succeeded, Failed, Error) with
  // the reason, message and annotations Argo's Event would carry. The pipeline recognises a
  // transition either path already notified. Covers Events that were rate-limited, expired or
  // missed in a watch gap, or switched off in the controller.
  bool reconcile = true;
  // Status transitions before this are not handed on (the state store's baseline, or the
  // retention horizon if later).
  std::chrono::system_clock::time_point reconcile_after = std::chrono::system_clock::now();
  // Receives every Workflow summary the watch sees, from the watch threads (e.g. a
  // CachingResolver's Remember, which keeps it warm without a GET per event).
  std::function<void(const WorkflowInfo&)> on_workflow;
  // Receives the uid of every Workflow the watch sees deleted, or finds missing from a relist
  // (e.g. a CachingResolver's Forget).
  std::function<void(const std::string& uid)> on_workflow_deleted;
  std::size_t page_size = 500;                  // list pagination (`limit`)
  std::chrono::seconds watch_timeout_min{300};  // each watch asks the server to end it after
  std::chrono::seconds watch_timeout_max{600};  // a random time in [min, max]
  // A watch that gets no byte for this long (no event, no bookmark: the API server sends one
  // about every minute) has stalled behind a connection that is still open: it is ended and
  // started again from its last resourceVersion, as client-go's watch timeout does.
  std::chrono::seconds watch_stall_timeout{90};
  // With reconciliation: runs (Workflows) still running or pending this long count in the gauge
  // kfp_eventd_runs_running_longer_than_threshold{namespace}, refreshed as the Workflow watch
  // reads (at least at every bookmark, about once a minute).
  std::chrono::seconds long_run_threshold{std::chrono::hours(6)};
  BackoffPolicy backoff;
  std::size_t max_line_bytes = 16 * 1024 * 1024;  // longer watch lines are reported, skipped
  std::shared_ptr<Logger> logger;
  // Lists, relists, watch restarts and errors per collection (null: not exposed).
  std::shared_ptr<MetricsRegistry> metrics;
  // One check per watch ("events kubeflow"): failing until its first list or watch succeeds,
  // and again while requests fail (null: not reported).
  std::shared_ptr<Readiness> readiness;
};

// Lists, then watches core/v1 Events in each namespace (one thread per namespace), relisting
// after 410 Gone and re-watching with backoff after errors, so events are neither lost nor
// repeated. Next() never returns an error: every failure is logged and retried.
KFPEVENTS_EXPORT Result<std::unique_ptr<EventSource>> MakeKubeEventSource(
    KubeEventSourceOptions options);

struct WorkflowCacheLimits {
  std::size_t max_entries = 10'000;
  std::size_t max_bytes = 32 * 1024 * 1024;  // estimated size of the summaries kept
  // A deleted Workflow's summary stays this long (CachingResolver::Forget), for the Events
  // about it still on their way.
  std::chrono::milliseconds keep_deleted{std::chrono::minutes(2)};
};

struct WorkflowResolverOptions {
  ApiConnection connection;
  // false: GET /apis/argoproj.io/v1alpha1/namespaces/{ns}/workflows/{name} (Kubernetes API);
  // true: GET /api/v1/workflows/{ns}/{name} on Argo Server.
  bool argo_server = false;
  std::size_t max_body_bytes = 64 * 1024 * 1024;  // a bigger Workflow is refused
  int attempts = 3;                               // tries on transient failures (5xx, network)
};

// Fetches Workflows and summarizes them as they are parsed (no DOM of a multi-MB object).
// Failures are returned, never logged: the pipeline reports them with the event they concern.
KFPEVENTS_EXPORT Result<std::unique_ptr<WorkflowResolver>> MakeWorkflowResolver(
    WorkflowResolverOptions options);

// Keeps summaries by workflow uid, least recently used first out, and asks the inner resolver
// again only when an event reports a state the cached summary does not know yet.
class KFPEVENTS_EXPORT CachingResolver : public WorkflowResolver {
 public:
  // Stores a summary seen elsewhere (a Workflow watch), replacing the cached one. Thread-safe,
  // like Resolve.
  virtual void Remember(WorkflowInfo workflow) = 0;
  // The Workflow of this uid was deleted (a DELETED watch event, or missing from a relist): its
  // summary goes after WorkflowCacheLimits::keep_deleted. Thread-safe.
  virtual void Forget(const std::string& uid) = 0;
};

// `metrics` (optional) counts hits and misses.
KFPEVENTS_EXPORT std::unique_ptr<CachingResolver> MakeCachingResolver(
    std::unique_ptr<WorkflowResolver> inner, WorkflowCacheLimits limits = {},
    std::shared_ptr<MetricsRegistry> metrics = nullptr);

}  // namespace kfpevents
