#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "config/problems.hpp"
#include "config/settings_json.hpp"
#include "core/files.hpp"
#include "http/header_name.hpp"
#include "http/url.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/extensions.hpp"

namespace kfpevents {
namespace {

using config::Problems;

// Headers HTTP or the Standard Webhooks protocol own: configured values would desync a
// keep-alive connection or forge a message's identity or signature.
bool IsProtocolHeader(const std::string& name) {
  for (const char* owned :
       {"Content-Length", "Transfer-Encoding", "Host", "Connection", "Expect", "TE", "Trailer",
        "Upgrade", "Keep-Alive", "Proxy-Connection", "webhook-id", "webhook-timestamp",
        "webhook-signature"}) {
    if (http::SameHeaderName(name, owned)) return true;
  }
  return false;
}

// Subscriber names appear in logs, metrics labels and the outbox: letters, digits, '.', '_' and
// '-', starting with a letter or digit, at most 63, so that no name can forge a log line.
bool IsSafeName(const std::string& name) {
  if (name.empty() || name.size() > 63 || !std::isalnum(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

// YAML aliases let a few lines stand for billions of nodes ("billion laughs"). Counts the nodes a
// walk of the document visits, aliases expanded, and stops at `budget`: false when it would go
// beyond.
bool WithinNodeBudget(const YAML::Node& node, std::size_t& budget, int depth = 0) {
  if (budget == 0 || depth > 64) return false;
  --budget;
  if (node.IsSequence() || node.IsMap()) {
    for (const auto& entry : node) {
      if (node.IsMap()) {
        if (!WithinNodeBudget(entry.first, budget, depth + 1) ||
            !WithinNodeBudget(entry.second, budget, depth + 1)) {
          return false;
        }
      } else if (!WithinNodeBudget(entry, budget, depth + 1)) {
        return false;
      }
    }
  }
  return true;
}

constexpr std::size_t kMaxConfigNodes = 100000;
constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

// Walks one parsed document, reporting into `problems` with key paths and 1-based positions.
class ConfigReader {
 public:
  ConfigReader(std::string source, Problems& problems)
      : source_(std::move(source)), problems_(problems) {}

  Config Read(const YAML::Node& root) {
    Config config;
    if (!root || root.IsNull()) return config;  // an empty file configures nothing
    if (!root.IsMap()) {
      Report(root, "", "the configuration must be a mapping with a `subscribers:` key");
      return config;
    }
    ForEachKey(root, "", {"subscribers", "kfpUiUrl"},
               [&](const std::string& key, const YAML::Node& value) {
                 if (key == "subscribers") config.subscribers = ReadSubscribers(value);
                 if (key == "kfpUiUrl" && ReadString(value, key, config.kfp_ui_url)) {
                   if (Status url = http::CheckWebhookUrl(config.kfp_ui_url); !url.ok()) {
                     Report(value, key, url.message());
                   }
                 }
               });
    for (SubscriberConfig& subscriber : config.subscribers) {
      if (subscriber.kfp_ui_url.empty()) subscriber.kfp_ui_url = config.kfp_ui_url;
    }
    return config;
  }

 private:
  void Report(const YAML::Node& node, const std::string& path, const std::string& what) {
    const YAML::Mark mark = node.Mark();
    const bool known = mark.line >= 0 && !mark.is_null();
    problems_.Add(known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, path, what);
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // Calls `visit` for each known key of a mapping; reports unknown and repeated keys.
  template <typename Visit>
  void ForEachKey(const YAML::Node& map, const std::string& path,
                  const std::set<std::string>& known, Visit visit) {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
      const std::string key_path = Join(path, key);
      if (!entry.first.IsScalar()) {
        Report(entry.first, path, "keys must be plain strings");
      } else if (known.count(key) == 0) {
        std::string list;
        for (const std::string& k : known) list += list.empty() ? k : ", " + k;
        Report(entry.first, key_path, "unknown key (known keys: " + list + ")");
      } else if (!seen.insert(key).second) {
        Report(entry.first, key_path, "key given twice");
      } else {
        visit(key, entry.second);
      }
    }
  }

  bool ReadString(const YAML::Node& node, const std::string& path, std::string& out) {
    if (!node.IsScalar()) {
      Report(node, path, "must be a string");
      return false;
    }
    out = node.Scalar();
    return true;
  }

  std::vector<SubscriberConfig> ReadSubscribers(const YAML::Node& node) {
    std::vector<SubscriberConfig> out;
    if (node.IsNull()) return out;
    if (!node.IsSequence()) {
      Report(node, "subscribers", "must be a list of subscribers");
      return out;
    }
    std::map<std::string, int> first_line_of_name;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const std::string path = "subscribers[" + std::to_string(i) + "]";
      if (!item.IsMap()) {
        Report(item, path, "must be a mapping with at least `name` and `url`");
        continue;
      }
      SubscriberConfig subscriber = ReadSubscriber(item, path);
      if (subscriber.name.empty()) continue;
      const auto [it, fresh] = first_line_of_name.emplace(subscriber.name, item.Mark().line + 1);
      if (!fresh) {
        Report(item["name"], path + ".name",
               "duplicate name \"" + subscriber.name + "\" (first used on line " +
                   std::to_string(it->second) + ")");
        continue;
      }
      out.push_back(std::move(subscriber));
    }
    return out;
  }

  SubscriberConfig ReadSubscriber(const YAML::Node& item, const std::string& path) {
    SubscriberConfig subscriber;
    subscriber.origin = source_ + ":" + std::to_string(item.Mark().line + 1);
    std::string type = "webhook";
    bool has_url = false;
    YAML::Node url_node;
    YAML::Node template_node;
    ForEachKey(
        item, path,
        {"name", "type", "url", "format", "events", "namespaces", "workflowSelector", "level",
         "argoNodes", "headers", "headerFiles", "secret", "secretFile", "concurrency", "parameter",
         "path", "settings", "template", "templateFile", "contentType", "fields", "fieldFiles",
         "kfpUiUrl", "from", "to", "usernameFile", "passwordFile", "subject", "htmlTemplate",
         "starttls", "stream", "credentialsFile", "nkey", "nkeySeedFile", "caFile", "pipelines",
         "tokenFile", "run"},
        [&](const std::string& key, const YAML::Node& value) {
          const std::string key_path = path + "." + key;
          if (key == "name") {
            if (ReadString(value, key_path, subscriber.name) && !IsSafeName(subscriber.name)) {
              Report(value, key_path,
                     subscriber.name.empty()
                         ? "must not be empty"
                         : "must be letters, digits, '.', '_' and '-', starting with a letter or "
                           "digit, at most 63 characters");
              subscriber.name.clear();
            }
          } else if (key == "type") {
            if (ReadString(value, key_path, type) && type != "webhook" && type != "stdout" &&
                type != "azure-devops" && type != "plugin" && type != "email" &&
                type != "nats" && type != "kfp-run" && !IsRegisteredSubscriberType(type)) {
              Report(value, key_path,
                     "must be webhook, stdout, azure-devops, email, nats, kfp-run, plugin or a "
                     "type this program registered, not \"" + type + "\"");
            }
          } else if (key == "url") {
            has_url = ReadString(value, key_path, subscriber.url);
            url_node = value;
          } else if (key == "format") {
            ReadFormat(value, key_path, subscriber.format);
          } else if (key == "events") {
            subscriber.events =
                ReadStringList(value, key_path, "event reasons, e.g. [WorkflowSucceeded]");
          } else if (key == "namespaces") {
            subscriber.namespaces = ReadStringList(value, key_path, "namespaces, e.g. [kubeflow]");
          } else if (key == "pipelines") {
            subscriber.pipelines = ReadStringList(value, key_path, "pipeline names, e.g. [train]");
          } else if (key == "tokenFile") {
            ReadString(value, key_path, subscriber.token_file);
          } else if (key == "run") {
            ReadRun(value, key_path, subscriber.run);
          } else if (key == "workflowSelector") {
            ReadSelector(value, key_path, subscriber.workflow_selector);
          } else if (key == "level") {
            ReadLevel(value, key_path, subscriber.level);
          } else if (key == "argoNodes") {
            ReadBool(value, key_path, subscriber.argo_nodes);
          } else if (key == "headers") {
            subscriber.headers = ReadHeaders(value, key_path);
          } else if (key == "headerFiles") {
            subscriber.header_files = ReadHeaders(value, key_path);
          } else if (key == "secret") {
            // Checked when built; a secret is never echoed.
            if (ReadString(value, key_path, subscriber.secret) && subscriber.secret.empty()) {
              Report(value, key_path, "must not be empty");
            }
          } else if (key == "secretFile") {
            ReadString(value, key_path, subscriber.secret_file);
          } else if (key == "concurrency") {
            ReadConcurrency(value, key_path, subscriber.concurrency);
          } else if (key == "path") {
            if (ReadString(value, key_path, subscriber.plugin_path) &&
                subscriber.plugin_path.empty()) {
              Report(value, key_path, "must not be empty");
            }
          } else if (key == "settings") {
            if (!value.IsMap()) {
              Report(value, key_path, "must be a mapping (handed to the subscriber as JSON)");
            } else {
              subscriber.settings_json = config::SettingsJson(value);
            }
          } else if (key == "template") {
            ReadString(value, key_path, subscriber.template_text);
            template_node = value;
          } else if (key == "templateFile") {
            ReadString(value, key_path, subscriber.template_file);
          } else if (key == "contentType") {
            ReadString(value, key_path, subscriber.content_type);
          } else if (key == "fields") {
            subscriber.fields = ReadStringMap(value, key_path, "names to values");
          } else if (key == "fieldFiles") {
            subscriber.field_files = ReadStringMap(value, key_path, "field names to files");
          } else if (key == "from") {
            ReadString(value, key_path, subscriber.mail_from);
          } else if (key == "to") {
            subscriber.mail_to = ReadStringList(value, key_path, "addresses, e.g. [ml-team@example.com]");
          } else if (key == "usernameFile") {
            ReadString(value, key_path, subscriber.username_file);
          } else if (key == "passwordFile") {
            ReadString(value, key_path, subscriber.password_file);
          } else if (key == "subject") {
            ReadString(value, key_path, subscriber.subject);
          } else if (key == "htmlTemplate") {
            ReadString(value, key_path, subscriber.html_template);
          } else if (key == "starttls") {
            ReadBool(value, key_path, subscriber.starttls);
          } else if (key == "stream") {
            ReadString(value, key_path, subscriber.stream);
          } else if (key == "credentialsFile") {
            ReadString(value, key_path, subscriber.credentials_file);
          } else if (key == "nkey") {
            ReadString(value, key_path, subscriber.nkey);
          } else if (key == "nkeySeedFile") {
            ReadString(value, key_path, subscriber.nkey_seed_file);
          } else if (key == "caFile") {
            ReadString(value, key_path, subscriber.ca_file);
          } else if (key == "kfpUiUrl") {
            if (ReadString(value, key_path, subscriber.kfp_ui_url)) {
              if (Status url = http::CheckWebhookUrl(subscriber.kfp_ui_url); !url.ok()) {
                Report(value, key_path, url.message());
              }
            }
          } else if (key == "parameter") {
            if (ReadString(value, key_path, subscriber.callback_parameter) &&
                subscriber.callback_parameter.empty()) {
              Report(value, key_path, "must not be empty");
            }
          }
        });
    if (!item["name"]) Report(item, path, "missing required key `name`");
    if (item["secret"] && item["secretFile"]) {
      Report(item["secretFile"], path + ".secretFile", "give `secret` or `secretFile`, not both");
    }
    if (item["template"] && item["templateFile"]) {
      Report(item["templateFile"], path + ".templateFile",
             "give `template` or `templateFile`, not both");
    }
    if ((item["template"] || item["templateFile"]) && item["format"]) {
      Report(item["format"], path + ".format", "give a `format` or a template, not both");
    }
    // An inline template is checked here, so that its problems point at its own lines.
    if (template_node && !subscriber.template_text.empty() && type != "email") {
      TemplateOptions options{subscriber.kfp_ui_url, subscriber.fields, {}};
      for (const auto& [name, value] : subscriber.headers) {
        if (value.find("{{") != std::string::npos) options.header_templates.emplace_back(name, value);
      }
      for (const auto& [name, file] : subscriber.field_files) options.fields.emplace_back(name, "");
      Result<std::unique_ptr<MessageFormatter>> made =
          MakeTemplateFormatter(subscriber.template_text, subscriber.content_type, options);
      if (!made) Report(template_node, path + ".template", made.error().message());
    }
    subscriber.type_name = type;
    subscriber.type = type == "stdout"         ? SubscriberType::kStdout
                      : type == "azure-devops" ? SubscriberType::kAzureDevOps
                      : type == "plugin"       ? SubscriberType::kPlugin
                      : type == "email"        ? SubscriberType::kEmail
                      : type == "nats"         ? SubscriberType::kNats
                      : type == "kfp-run"      ? SubscriberType::kKfpRun
                      : type == "webhook"      ? SubscriberType::kWebhook
                                               : SubscriberType::kRegistered;
    if (!item["level"]) subscriber.level = DefaultLevel(subscriber.type, subscriber.format);
    const bool extension = subscriber.type == SubscriberType::kPlugin ||
                           subscriber.type == SubscriberType::kRegistered;
    if (subscriber.type != SubscriberType::kPlugin && item["path"]) {
      Report(item["path"], path + ".path", "only type plugin takes a path");
    }
    if (!extension && item["settings"]) {
      Report(item["settings"], path + ".settings",
             "only plugins and registered types take settings");
    }
    // Keys only some types take, and which.
    static const std::map<std::string, std::set<SubscriberType>> kTypedKeys = {
        {"from", {SubscriberType::kEmail}},
        {"to", {SubscriberType::kEmail}},
        {"htmlTemplate", {SubscriberType::kEmail}},
        {"starttls", {SubscriberType::kEmail}},
        {"subject", {SubscriberType::kEmail, SubscriberType::kNats}},
        {"usernameFile", {SubscriberType::kEmail, SubscriberType::kNats}},
        {"passwordFile", {SubscriberType::kEmail, SubscriberType::kNats}},
        {"stream", {SubscriberType::kNats}},
        {"credentialsFile", {SubscriberType::kNats}},
        {"nkey", {SubscriberType::kNats}},
        {"nkeySeedFile", {SubscriberType::kNats}},
        {"caFile", {SubscriberType::kNats, SubscriberType::kKfpRun}},
        {"tokenFile", {SubscriberType::kKfpRun}},
        {"run", {SubscriberType::kKfpRun}},
    };
    for (const auto& [key, types] : kTypedKeys) {
      if (item[key] && types.count(subscriber.type) == 0) {
        std::string names;
        for (const SubscriberType taker : types) {
          if (!names.empty()) names += " and ";
          names += taker == SubscriberType::kEmail  ? "email"
                   : taker == SubscriberType::kNats ? "nats"
                                                    : "kfp-run";
        }
        Report(item[key], path + "." + key,
               (types.size() == 1 ? "only type " : "only types ") + names + " take" +
                   (types.size() == 1 ? "s " : " ") + key);
      }
    }
    if (subscriber.type != SubscriberType::kAzureDevOps && item["parameter"]) {
      Report(item["parameter"], path + ".parameter", "only type azure-devops takes a parameter");
    }
    if (subscriber.type == SubscriberType::kAzureDevOps) {
      // Each run's callback says where to POST and with which token.
      for (const char* key : {"url", "format", "headers", "headerFiles", "secret", "secretFile"}) {
        if (item[key]) {
          Report(item[key], path + "." + key,
                 "not used by type azure-devops (each run's callback names the URL and the "
                 "token); remove it");
        }
      }
    } else if (extension) {
      if (subscriber.type == SubscriberType::kPlugin && !item["path"]) {
        Report(item, path, "missing required key `path` (the plugin's shared object)");
      }
      for (const char* key : {"url", "headers", "headerFiles", "secret", "secretFile"}) {
        if (item[key]) {
          Report(item[key], path + "." + key,
                 "not used by type " + type + " (give what it needs under `settings:`)");
        }
      }
    } else if (subscriber.type == SubscriberType::kEmail) {
      if (!item["url"]) {
        Report(item, path, "missing required key `url` (smtp://host:587 or smtps://host:465)");
      } else if (has_url && subscriber.url.rfind("smtp://", 0) != 0 &&
                 subscriber.url.rfind("smtps://", 0) != 0) {
        Report(url_node, path + ".url", "must be smtp://host:port or smtps://host:port");
      }
      if (!item["from"]) Report(item, path, "missing required key `from` (the sender)");
      if (!item["to"]) Report(item, path, "missing required key `to` (the recipients)");
      for (const char* key : {"format", "headers", "headerFiles", "secret", "secretFile",
                              "contentType"}) {
        if (item[key]) Report(item[key], path + "." + key, "not used by type email; remove it");
      }
    } else if (subscriber.type == SubscriberType::kNats) {
      if (!item["url"]) {
        Report(item, path, "missing required key `url` (nats://host:4222, several comma-separated)");
      }
      for (const char* key : {"headerFiles", "secret", "secretFile"}) {
        if (item[key]) Report(item[key], path + "." + key, "not used by type nats; remove it");
      }
      if (item["credentialsFile"] && (item["nkeySeedFile"] || item["usernameFile"])) {
        Report(item["credentialsFile"], path + ".credentialsFile",
               "give one of credentialsFile, nkey with nkeySeedFile, or usernameFile");
      }
      if (item["nkey"].IsDefined() != item["nkeySeedFile"].IsDefined()) {
        Report(item, path, "`nkey` (the public key) and `nkeySeedFile` go together");
      }
    } else if (subscriber.type == SubscriberType::kKfpRun) {
      if (!item["url"]) {
        Report(item, path, "missing required key `url` (the KFP API, e.g. "
                           "http://ml-pipeline.kubeflow:8888)");
      } else if (has_url) {
        if (Status status = http::CheckWebhookUrl(subscriber.url); !status.ok()) {
          Report(url_node, path + ".url", status.message());
        }
      }
      if (!item["run"]) Report(item, path, "missing required key `run` (the run to start)");
      for (const char* key : {"format", "template", "templateFile", "contentType", "headers",
                              "headerFiles", "secret", "secretFile"}) {
        if (item[key]) {
          Report(item[key], path + "." + key,
                 "not used by type kfp-run (`run:` says what to start); remove it");
        }
      }
    } else if (subscriber.type == SubscriberType::kWebhook) {
      if (!item["url"]) {
        Report(item, path, "missing required key `url` (webhook subscribers need one)");
      } else if (has_url) {
        if (Status status = http::CheckWebhookUrl(subscriber.url); !status.ok()) {
          Report(url_node, path + ".url", status.message());
        }
      }
    } else {
      for (const char* key : {"url", "headers", "headerFiles", "secret", "secretFile"}) {
        if (item[key]) Report(item[key], path + "." + key, "not used by type stdout; remove it");
      }
    }
    return subscriber;
  }

  // type kfp-run's `run:`, the run to start.
  void ReadRun(const YAML::Node& value, const std::string& path, RunConfig& run) {
    if (!value.IsMap()) {
      Report(value, path, "must be a mapping: pipeline (or pipelineId), experiment, ...");
      return;
    }
    ForEachKey(value, path,
               {"pipeline", "pipelineId", "version", "versionId", "experiment", "namespace",
                "name", "parameters"},
               [&](const std::string& key, const YAML::Node& field) {
                 const std::string key_path = path + "." + key;
                 std::string* text = key == "pipeline"     ? &run.pipeline
                                     : key == "pipelineId" ? &run.pipeline_id
                                     : key == "version"    ? &run.version
                                     : key == "versionId"  ? &run.version_id
                                     : key == "experiment" ? &run.experiment
                                     : key == "namespace"  ? &run.namespace_name
                                     : key == "name"       ? &run.name
                                                           : nullptr;
                 if (text == nullptr) {
                   run.parameters = ReadStringMap(field, key_path, "parameter names to values");
                 } else if (ReadString(field, key_path, *text) && text->empty()) {
                   Report(field, key_path, "must not be empty");
                 }
               });
    if (!value["pipeline"] && !value["pipelineId"] && !value["versionId"]) {
      Report(value, path, "missing `pipeline` (its name) or `pipelineId`");
    }
    if (value["pipeline"] && value["pipelineId"]) {
      Report(value["pipelineId"], path + ".pipelineId", "give `pipeline` or `pipelineId`, not both");
    }
    if (value["version"] && value["versionId"]) {
      Report(value["versionId"], path + ".versionId", "give `version` or `versionId`, not both");
    }
    if (!value["experiment"]) Report(value, path, "missing `experiment` (created when missing)");
  }

  void ReadFormat(const YAML::Node& value, const std::string& path, std::string& format) {
    if (!ReadString(value, path, format)) return;
    // Templated formats are built with the subscriber's fields; here only the name is checked.
    const std::vector<std::string> builtin = BuiltinFormatNames();
    if (std::find(builtin.begin(), builtin.end(), format) != builtin.end()) return;
    if (Result<std::unique_ptr<MessageFormatter>> known = MakeFormatter(format); !known) {
      Report(value, path, known.error().message());
    }
  }

  void ReadSelector(const YAML::Node& value, const std::string& path, std::string& selector) {
    if (!ReadString(value, path, selector)) return;
    if (Result<LabelSelector> parsed = LabelSelector::Parse(selector); !parsed) {
      Report(value, path, parsed.error().message());
    }
  }

  void ReadConcurrency(const YAML::Node& value, const std::string& path, int& concurrency) {
    std::string text;
    if (!ReadString(value, path, text)) return;
    int parsed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error != std::errc() || end != text.data() + text.size() || parsed < 1 ||
        parsed > kMaxConcurrency) {
      Report(value, path,
             "must be a whole number from 1 to " + std::to_string(kMaxConcurrency) + ", not \"" +
                 text + "\"");
      return;
    }
    concurrency = parsed;
  }

  void ReadBool(const YAML::Node& value, const std::string& path, bool& out) {
    std::string text;
    if (!ReadString(value, path, text)) return;
    if (text == "true" || text == "false") {
      out = text == "true";
    } else {
      Report(value, path, "must be true or false, not \"" + text + "\"");
    }
  }

  void ReadLevel(const YAML::Node& value, const std::string& path, EventLevel& level) {
    std::string name;
    if (!ReadString(value, path, name)) return;
    if (name == "workflow") {
      level = EventLevel::kWorkflow;
    } else if (name == "node") {
      level = EventLevel::kNode;
    } else if (name == "run") {
      level = EventLevel::kRun;
    } else if (name != "all") {
      Report(value, path, "must be workflow, node, run or all, not \"" + name + "\"");
    }
  }

  std::vector<std::string> ReadStringList(const YAML::Node& value, const std::string& path,
                                          const std::string& what) {
    std::vector<std::string> items;
    if (!value.IsSequence()) {
      Report(value, path, "must be a list of " + what);
      return items;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::string item;
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!ReadString(value[i], item_path, item)) continue;
      if (item.empty()) {
        Report(value[i], item_path, "must not be empty");
        continue;
      }
      items.push_back(std::move(item));
    }
    return items;
  }

  // A mapping of strings to strings, in order; `what` says what maps to what.
  std::vector<std::pair<std::string, std::string>> ReadStringMap(const YAML::Node& value,
                                                                 const std::string& path,
                                                                 const std::string& what) {
    std::vector<std::pair<std::string, std::string>> entries;
    if (!value.IsMap()) {
      Report(value, path, "must be a mapping of " + what);
      return entries;
    }
    for (const auto& entry : value) {
      std::string name;
      std::string text;
      if (ReadString(entry.first, path, name) && ReadString(entry.second, path + "." + name, text)) {
        entries.emplace_back(std::move(name), std::move(text));
      }
    }
    return entries;
  }

  std::vector<std::pair<std::string, std::string>> ReadHeaders(const YAML::Node& value,
                                                               const std::string& path) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!value.IsMap()) {
      Report(value, path, "must be a mapping of header names to values");
      return headers;
    }
    std::set<std::string, http::HeaderNameLess> seen;
    for (const auto& entry : value) {
      std::string name;
      std::string header_value;
      if (!ReadString(entry.first, path, name)) continue;
      const std::string header_path = path + "." + name;
      const bool token =
          !name.empty() && name.find_first_of(" \t\r\n:()<>@,;\\\"/[]?={}") == std::string::npos;
      if (!token) {
        Report(entry.first, header_path, "is not a valid HTTP header name");
        continue;
      }
      if (!seen.insert(name).second) {
        Report(entry.first, header_path, "header given twice");
        continue;
      }
      if (IsProtocolHeader(name)) {
        Report(entry.first, header_path,
               "is set by kfp-eventd or HTTP itself (Content-Length, Host, Connection, "
               "Transfer-Encoding, webhook-id, webhook-timestamp, webhook-signature, ...) and "
               "cannot be configured");
        continue;
      }
      // Values may be secrets: never echo them.
      if (!ReadString(entry.second, header_path, header_value)) continue;
      if (header_value.find_first_of("\r\n") != std::string::npos) {
        Report(entry.second, header_path, "value must not contain line breaks");
        continue;
      }
      headers.emplace_back(std::move(name), std::move(header_value));
    }
    return headers;
  }

  std::string source_;
  Problems& problems_;
};

}  // namespace

EventLevel DefaultLevel(SubscriberType type, const std::string& format) {
  const bool read_by_people = type == SubscriberType::kEmail || format == "slack" ||
                              format == "teams" || format == "pagerduty";
  return read_by_people ? EventLevel::kRun : EventLevel::kAll;
}

Result<Config> ParseConfig(std::string_view yaml_text, std::string_view source_name) {
  Problems problems{std::string(source_name)};
  Config config;
  try {
    if (yaml_text.size() > kMaxConfigBytes) {
      return Status::InvalidArgument(std::string(source_name) + ": larger than " +
                                     std::to_string(kMaxConfigBytes) + " bytes");
    }
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    std::size_t budget = kMaxConfigNodes;
    if (!WithinNodeBudget(root, budget)) {
      return Status::InvalidArgument(
          std::string(source_name) + ": the document expands to more than " +
          std::to_string(kMaxConfigNodes) +
          " nodes or nests deeper than 64 levels (YAML aliases that repeat each other?)");
    }
    config = ConfigReader(std::string(source_name), problems).Read(root);
  } catch (const YAML::Exception& error) {
    const bool known = !error.mark.is_null();
    problems.Add(known ? error.mark.line + 1 : 0, known ? error.mark.column + 1 : 0, "",
                 "invalid YAML: " + error.msg);
  } catch (const std::exception& error) {  // e.g. std::bad_alloc: never the daemon's end
    problems.Add(0, 0, "", std::string("cannot read the configuration: ") + error.what());
  }
  if (Status status = problems.ToStatus(); !status.ok()) return status;
  return config;
}

Result<Config> LoadConfigFile(const std::string& path) {
  Result<std::string> text = ReadFile(path, "config file", kMaxConfigBytes);
  if (!text) return text.error();
  return ParseConfig(*text, path);
}

}  // namespace kfpevents
