// Configuration: the YAML file, the original tool's subscribers folder, and turning either into
// live subscriptions.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kfpevents/export.hpp"
#include "kfpevents/pipeline.hpp"
#include "kfpevents/status.hpp"

namespace kfpevents {

// kAzureDevOps completes the agentless task waiting for a run (see MakeAzureDevOpsFormatter).
// kPlugin loads a shared object (`path:`); kRegistered is a type the program registered with
// RegisterSubscriberType (kfpevents/extensions.hpp).
enum class SubscriberType {
  kWebhook,
  kStdout,
  kAzureDevOps,
  kPlugin,
  kRegistered,
  kEmail,
  kNats,
  kKfpRun,
};

// type kfp-run (docs/TRIGGERS.md): the run to start, as `run:` gives it. `name` and each
// parameter's value are templates over the triggering notification.
struct RunConfig {
  std::string pipeline;     // by name, or
  std::string pipeline_id;  // by id
  std::string version;      // "" (and no version_id): the pipeline's default version
  std::string version_id;
  std::string experiment;      // created when missing
  std::string namespace_name;  // multi-user Kubeflow: the profile namespace
  std::string name;            // "" for "<pipeline> after <run>"
  std::vector<std::pair<std::string, std::string>> parameters;

  bool operator==(const RunConfig&) const = default;
};

struct SubscriberConfig {
  std::string name;
  SubscriberType type = SubscriberType::kWebhook;
  std::string url;                      // required for webhooks
  std::string format = "kfp";           // see BuiltinFormatNames()
  std::vector<std::string> events;      // reasons to pass; empty: all
  std::vector<std::string> namespaces;  // workflow namespaces to pass; empty: all
  std::vector<std::string> pipelines;   // pipelines (as KFP names them) to pass; empty: all
  std::string workflow_selector;        // label selector on the workflow's labels; "" = all
  // `level: workflow | node | run | all`; when not given, run for the formats people read
  // (slack, teams, pagerduty, and email) and all otherwise: see DefaultLevel.
  EventLevel level = EventLevel::kAll;
  bool argo_nodes = false;              // `argoNodes: true`: a KFP 2.x run's plumbing nodes too
  std::vector<std::pair<std::string, std::string>> headers;
  // Header values read from files when the subscriptions are built (mounted Kubernetes Secrets).
  std::vector<std::pair<std::string, std::string>> header_files;  // header name -> file path
  std::string secret;       // Standard Webhooks signing secret ("whsec_..."); never printed
  std::string secret_file;  // or a file holding it (surrounding whitespace trimmed)
  int concurrency = 1;      // deliveries in flight at once (1 keeps them in order)
  // azure-devops: the workflow parameter holding the callback.
  std::string callback_parameter = "azdocallbackinfo";
  std::string type_name = "webhook";  // as written in `type:` (a registered type's name)
  std::string plugin_path;            // plugin: the shared object to load
  std::string settings_json = "{}";   // plugin and registered types: `settings:` as JSON
  // Templated messages (docs/TEMPLATES.md): the body's Mustache template, inline or from a file,
  // its content type, the static fields it may use, and the KFP UI for the run's link.
  std::string template_text;
  std::string template_file;
  std::string content_type;  // "" : application/json
  std::vector<std::pair<std::string, std::string>> fields;
  // Fields read from files when the subscriptions are built (a PagerDuty routing key).
  std::vector<std::pair<std::string, std::string>> field_files;  // field name -> file path
  std::string kfp_ui_url;
  // type email (docs/TEMPLATES.md): sender, recipients, credentials from files, the subject's
  // and the HTML part's templates (`template` is the text part's), STARTTLS for smtp://.
  std::string mail_from;
  std::vector<std::string> mail_to;
  std::string username_file;
  std::string password_file;
  std::string subject;
  std::string html_template;
  bool starttls = true;
  // type nats (docs/OPERATIONS.md, "NATS JetStream"): `url` lists the servers and `subject` is
  // the subject's template; the stream to expect, credentials or an NKey from files, a CA.
  std::string stream;
  std::string credentials_file;
  std::string nkey;
  std::string nkey_seed_file;
  std::string ca_file;  // nats and kfp-run: the CA of the servers' certificates
  // type kfp-run: `url` is the KFP API; the token from a file, re-read for each run started.
  std::string token_file;
  RunConfig run;
  std::string origin;  // where it was defined ("config.yaml:4", "/subscribers/teams"), for errors

  bool operator==(const SubscriberConfig&) const = default;
};

// The level a subscriber gets when it names none: one message per finished run for the formats
// people read (slack, teams, pagerduty) and for email, every event for the rest.
KFPEVENTS_EXPORT EventLevel DefaultLevel(SubscriberType type, const std::string& format);

// The largest `concurrency` a subscriber may ask for.
inline constexpr int kMaxConcurrency = 256;

struct Config {
  std::vector<SubscriberConfig> subscribers;
  // The top-level `kfpUiUrl:`: the KFP UI for the run links of every subscriber that names none.
  std::string kfp_ui_url;
};

// Parses YAML (or JSON) configuration:
//
//   subscribers:
//     - name: teams                       # required, unique
//       url: https://example.com/hook     # required for webhooks
//       type: webhook                     # webhook (default), stdout, azure-devops, plugin or
//                                         # a type the program registered
//       format: kfp                       # default kfp
//       events: [WorkflowSucceeded, WorkflowFailed]   # optional: reasons to pass
//       namespaces: [kubeflow]            # optional: workflow namespaces to pass
//       workflowSelector: "team=ml"       # optional: Kubernetes label selector on the workflow
//       level: workflow                   # optional: workflow, node or all (default)
//       argoNodes: false                  # optional: true adds KFP 2.x runs' plumbing nodes
//       headers: {X-Api-Key: "..."}       # optional
//       headerFiles: {X-Api-Key: /etc/kfp-eventd/api-key}   # optional: values from files
//       secret: whsec_...                 # optional: sign with Standard Webhooks
//       secretFile: /etc/kfp-eventd/secret   # or read the secret from a file
//       concurrency: 1                    # optional: deliveries in flight (1 keeps order)
//     - name: azdo                        # completes Azure DevOps agentless tasks
//       type: azure-devops                # no url: each run's callback names it
//       parameter: azdocallbackinfo       # optional: the workflow parameter with the callback
//     - name: archive                     # a Tier 2 plugin (kfpevents/plugin_abi.h)
//       type: plugin
//       path: /usr/lib/kfp-eventd/plugins/libarchive.so   # required for plugins
//       settings: {bucket: runs}          # optional: handed to the plugin as JSON
//     - name: fleet                       # publishes to NATS JetStream
//       type: nats
//       url: nats://nats-1:4222,nats://nats-2:4222   # tls:// for TLS
//       subject: "kfp.{{namespace}}.{{pipeline}}.{{reason}}"   # optional (this is the default)
//       stream: KFP_RUNS                  # optional: the stream that must store them
//       credentialsFile: /etc/nats/kfp-eventd.creds    # optional; or nkey + nkeySeedFile,
//                                         # or usernameFile + passwordFile; caFile for TLS
//     - name: evaluate-after-train        # starts a KFP run when a run of `train` succeeds
//       type: kfp-run
//       url: http://ml-pipeline.kubeflow:8888   # the KFP API
//       tokenFile: /var/run/secrets/kubeflow/pipelines/token   # optional
//       events: [WorkflowSucceeded]
//       pipelines: [train]                # optional filter, for every type: the run's pipeline
//       run: {pipeline: evaluate, experiment: chained, parameters: {model: "{{run_id}}"}}
//
// Every problem is reported, not only the first: the error's message has one line per problem,
// "<source>:<line>:<column>: <key path>: <what is wrong>". Unknown keys, wrong types, missing
// or duplicate names, bad URLs and unknown formats are all errors.
KFPEVENTS_EXPORT Result<Config> ParseConfig(std::string_view yaml_text,
                                            std::string_view source_name);
KFPEVENTS_EXPORT Result<Config> LoadConfigFile(const std::string& path);

// The original tool's ConfigMap layout: a folder of files, each holding one webhook URL
// (surrounding whitespace trimmed); the file name is the subscriber's name. Hidden entries
// (Kubernetes' "..data" links) and folders are skipped. Problems are reported like ParseConfig's.
KFPEVENTS_EXPORT Result<std::vector<SubscriberConfig>> LoadSubscribersDir(const std::string& dir);

// Where a command's subscribers come from; the CLI's flags map onto this one to one.
struct SubscriberSources {
  std::string config_file;         // YAML config (--config); "" for none
  std::string subscribers_dir;     // one-URL-per-file folder (--subscribers-dir); "" for none
  std::vector<std::string> urls;   // webhook URLs (--subscriber), named "subscriber-1", ...
  bool stdout_subscriber = false;  // a `type: stdout` subscriber named "stdout" (--stdout)
  std::string format = "kfp";      // the format of the `urls` and stdout subscribers
};

// Go-style durations as operators write them: "90s", "15m", "1h30m", "2d", "500ms"; "0" is zero.
// nullopt when `text` is not one or more <digits><unit> groups (units d, h, m, s, ms).
KFPEVENTS_EXPORT std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// Loads and checks every source, reporting the problems of all of them together; names must be
// unique across sources.
KFPEVENTS_EXPORT Result<std::vector<SubscriberConfig>> GatherSubscribers(
    const SubscriberSources& sources);

// Checks a set of subscribers gathered from several places: names must be unique.
KFPEVENTS_EXPORT Status CheckUniqueNames(const std::vector<SubscriberConfig>& subscribers);

struct BuildOptions {
  std::ostream* stdout_stream = nullptr;  // where `type: stdout` writes; null: std::cout
};

// Creates the subscriber and formatter of each entry, reading `secretFile` and `headerFiles`.
// Fails on the first entry that cannot be built, naming it (never a secret's value).
KFPEVENTS_EXPORT Result<std::vector<Subscription>> BuildSubscriptions(
    const std::vector<SubscriberConfig>& subscribers, const BuildOptions& options = {});

}  // namespace kfpevents
