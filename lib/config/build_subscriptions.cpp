#include <iostream>
#include <map>

#include "core/files.hpp"
#include "core/strings.hpp"
#include "email/email.hpp"
#include "nats/nats.hpp"
#include "trigger/kfp_run.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/extensions.hpp"
#include "kfpevents/subscribers.hpp"
#include "plugin/registry.hpp"

namespace kfpevents {

Status CheckUniqueNames(const std::vector<SubscriberConfig>& subscribers) {
  std::map<std::string, const SubscriberConfig*> seen;
  std::string problems;
  for (const SubscriberConfig& subscriber : subscribers) {
    const auto [it, fresh] = seen.emplace(subscriber.name, &subscriber);
    if (fresh) continue;
    if (!problems.empty()) problems += '\n';
    problems += "subscriber name \"" + subscriber.name + "\" is used twice (" + it->second->origin +
                " and " + subscriber.origin + ")";
  }
  return problems.empty() ? Status::Ok() : Status::InvalidArgument(problems);
}

namespace {

Result<SubscriptionFilter> FilterOf(const SubscriberConfig& config) {
  Result<LabelSelector> selector = LabelSelector::Parse(config.workflow_selector);
  if (!selector) return selector.error();
  SubscriptionFilter filter;
  filter.reasons = {config.events.begin(), config.events.end()};
  filter.namespaces = {config.namespaces.begin(), config.namespaces.end()};
  filter.pipelines = {config.pipelines.begin(), config.pipelines.end()};
  filter.workflow_selector = std::move(*selector);
  filter.level = config.level;
  filter.argo_nodes = config.argo_nodes;
  return filter;
}

// The formats built from templates, with each subscription's fields and link.
bool IsTemplatedFormat(const std::string& format) {
  return format == "slack" || format == "teams" || format == "pagerduty";
}

// A header value with a Mustache tag is rendered for each message by a templated format.
bool IsTemplated(const std::string& value) { return value.find("{{") != std::string::npos; }

// What a subscriber's templates see: its link base and fields, those from files included.
Result<TemplateOptions> TemplateOptionsOf(const SubscriberConfig& config) {
  TemplateOptions options{config.kfp_ui_url, config.fields, {}};
  for (const auto& [name, value] : config.headers) {
    if (IsTemplated(value)) options.header_templates.emplace_back(name, value);
  }
  for (const auto& [name, file] : config.field_files) {
    Result<std::string> value = ReadValueFile(file, "fieldFiles." + name + " file");
    if (!value) return value.error();
    options.fields.emplace_back(name, std::move(*value));
  }
  return options;
}

// The body's template: `template`, or the contents of `templateFile`; "" for neither.
Result<std::string> TemplateTextOf(const SubscriberConfig& config) {
  if (config.template_file.empty()) return config.template_text;
  return ReadFile(config.template_file, "templateFile", 1024 * 1024);
}

// A factory is user code: an exception or a null subscriber is its error, not a crash.
Result<std::unique_ptr<Subscriber>> MakeRegistered(const SubscriberFactory& factory,
                                                   const SubscriberConfig& config) {
  try {
    Result<std::unique_ptr<Subscriber>> made = factory(config);
    if (made && !*made) return Status::Internal("the factory of its type made nothing");
    return made;
  } catch (const std::exception& error) {
    return Status::Internal(std::string("the factory of its type threw: ") + error.what());
  } catch (...) {
    return Status::Internal("the factory of its type threw a non-standard exception");
  }
}

trigger::RunToStart RunToStartOf(const RunConfig& run) {
  return {{run.pipeline_id, run.pipeline, run.version_id, run.version},
          run.experiment,
          run.name,
          run.parameters};
}

// `usernameFile` and `passwordFile` (email, nats), read now: a missing file is a configuration
// error, not a failed delivery.
Status ReadUserAndPassword(const SubscriberConfig& config, std::string& username,
                           std::string& password) {
  for (const auto& [file, credential] : {std::pair{&config.username_file, &username},
                                         std::pair{&config.password_file, &password}}) {
    if (file->empty()) continue;
    Result<std::string> value = ReadValueFile(*file, "credential file");
    if (!value) return value.error();
    *credential = std::move(*value);
  }
  return Status::Ok();
}

// Credentials are read now, so that a missing file is a configuration error; the client reads
// a credentials or seed file itself, at each connect.
Result<std::unique_ptr<Subscriber>> MakeNats(const SubscriberConfig& config) {
  nats::NatsOptions options;
  options.name = config.name;
  options.servers = config.url;
  options.stream = config.stream;
  options.credentials_file = config.credentials_file;
  options.nkey = config.nkey;
  options.nkey_seed_file = config.nkey_seed_file;
  options.ca_file = config.ca_file;
  for (const std::string* file : {&config.credentials_file, &config.nkey_seed_file, &config.ca_file}) {
    if (file->empty()) continue;
    if (Result<std::string> read = ReadFile(*file, "credential file", 1024 * 1024); !read) {
      return read.error();
    }
  }
  if (Status read = ReadUserAndPassword(config, options.username, options.password); !read.ok()) {
    return read;
  }
  return nats::MakeNatsSubscriber(std::move(options));
}

}  // namespace

Result<std::vector<Subscription>> BuildSubscriptions(
    const std::vector<SubscriberConfig>& subscribers, const BuildOptions& options) {
  if (Status status = CheckUniqueNames(subscribers); !status.ok()) return status;
  std::map<std::string, std::shared_ptr<const MessageFormatter>> formatters;
  std::vector<Subscription> out;
  for (const SubscriberConfig& config : subscribers) {
    const auto fail = [&](const Status& status) {
      return Status(status.code(), "subscriber \"" + config.name + "\": " + status.message());
    };
    Subscription subscription;
    subscription.name = config.name;
    subscription.concurrency = config.concurrency;
    Result<SubscriptionFilter> filter = FilterOf(config);
    if (!filter) return fail(filter.error());
    subscription.filter = std::move(*filter);

    // The template and what it sees (fields from files), each read once, for every type but
    // azure-devops, whose formatter is fixed.
    TemplateOptions template_options;
    std::string template_text;
    if (config.type != SubscriberType::kAzureDevOps) {
      Result<TemplateOptions> options_read = TemplateOptionsOf(config);
      if (!options_read) return fail(options_read.error());
      template_options = std::move(*options_read);
      Result<std::string> text_read = TemplateTextOf(config);
      if (!text_read) return fail(text_read.error());
      template_text = std::move(*text_read);
    }

    if (config.type == SubscriberType::kAzureDevOps) {
      // Only a run's end completes its task; other filters still apply.
      if (subscription.filter.reasons.empty()) {
        subscription.filter.reasons = {"WorkflowSucceeded", "WorkflowFailed", "WorkflowTimedOut"};
      }
      subscription.formatter = MakeAzureDevOpsFormatter(config.callback_parameter);
    } else if (config.type == SubscriberType::kKfpRun) {
      Result<std::unique_ptr<MessageFormatter>> made =
          trigger::MakeRunFormatter(RunToStartOf(config.run), template_options);
      if (!made) return fail(made.error());
      subscription.formatter = std::move(*made);
    } else if (config.type == SubscriberType::kEmail) {
      email::EmailFormat mail{config.mail_from, config.mail_to,       config.subject,
                              template_text,    config.html_template, template_options};
      Result<std::unique_ptr<MessageFormatter>> made = email::MakeEmailFormatter(std::move(mail));
      if (!made) return fail(made.error());
      subscription.formatter = std::move(*made);
    } else if (!config.template_text.empty() || !config.template_file.empty()) {
      Result<std::unique_ptr<MessageFormatter>> made =
          MakeTemplateFormatter(template_text, config.content_type, template_options);
      if (!made) {
        return fail(Status(made.error().code(),
                           (config.template_file.empty() ? "template: " : config.template_file + ": ") +
                               made.error().message()));
      }
      subscription.formatter = std::move(*made);
    } else if (IsTemplatedFormat(config.format)) {
      // Templated: each subscription has its own fields and link.
      Result<std::unique_ptr<MessageFormatter>> made = MakeFormatter(config.format, template_options);
      if (!made) return fail(made.error());
      subscription.formatter = std::move(*made);
    } else {
      auto& formatter = formatters[config.format];
      if (!formatter) {
        Result<std::unique_ptr<MessageFormatter>> made = MakeFormatter(config.format);
        if (!made) return fail(made.error());
        formatter = std::move(*made);
      }
      subscription.formatter = formatter;
    }

    if (config.type == SubscriberType::kNats) {
      // The body as formatted above, published to a subject named per message.
      Result<std::unique_ptr<MessageFormatter>> made = nats::WithSubject(
          subscription.formatter, config.subject.empty() ? nats::kDefaultSubject : config.subject,
          template_options);
      if (!made) return fail(made.error());
      subscription.formatter = std::move(*made);
    }

    if (config.type == SubscriberType::kStdout) {
      subscription.subscriber =
          MakeStreamSubscriber(options.stdout_stream ? *options.stdout_stream : std::cout);
    } else if (config.type == SubscriberType::kEmail) {
      email::SmtpOptions smtp;
      smtp.url = config.url;
      smtp.from = config.mail_from;
      smtp.to = config.mail_to;
      smtp.starttls = config.starttls;
      if (Status read = ReadUserAndPassword(config, smtp.username, smtp.password); !read.ok()) {
        return fail(read);
      }
      Result<std::unique_ptr<Subscriber>> made = email::MakeSmtpSubscriber(std::move(smtp));
      if (!made) return fail(made.error());
      subscription.subscriber = std::move(*made);
    } else if (config.type == SubscriberType::kKfpRun) {
      KfpClientOptions client;
      client.api = KfpApiVersion::kDetect;
      client.endpoint = config.url;
      client.token_file = config.token_file;
      client.ca_file = config.ca_file;
      client.namespace_name = config.run.namespace_name;
      if (!config.token_file.empty()) {  // now, so that a missing file is a configuration error
        if (Result<std::string> token = ReadValueFile(config.token_file, "tokenFile"); !token) {
          return fail(token.error());
        }
      }
      Result<std::unique_ptr<Subscriber>> made =
          trigger::MakeRunSubscriber(std::move(client), RunToStartOf(config.run));
      if (!made) return fail(made.error());
      subscription.subscriber = std::move(*made);
    } else if (config.type == SubscriberType::kNats) {
      Result<std::unique_ptr<Subscriber>> made = MakeNats(config);
      if (!made) return fail(made.error());
      subscription.subscriber = std::move(*made);
    } else if (config.type == SubscriberType::kPlugin) {
      Result<std::unique_ptr<Subscriber>> made =
          LoadPluginSubscriber(config.plugin_path, config.settings_json);
      if (!made) return fail(made.error());
      subscription.subscriber = std::move(*made);
    } else if (config.type == SubscriberType::kRegistered) {
      const SubscriberFactory factory = plugin::RegisteredSubscriberType(config.type_name);
      if (!factory)
        return fail(Status::InvalidArgument("type \"" + config.type_name + "\" is not registered"));
      Result<std::unique_ptr<Subscriber>> made = MakeRegistered(factory, config);
      if (!made) return fail(made.error());
      subscription.subscriber = std::move(*made);
    } else {
      HttpSubscriberOptions http;
      http.url = config.url;  // "" for azure-devops: each message names its destination
      const bool templated = !config.template_text.empty() || !config.template_file.empty() ||
                             IsTemplatedFormat(config.format);
      for (const auto& [name, value] : config.headers) {
        if (!IsTemplated(value)) {
          http.headers.emplace_back(name, value);
        } else if (!templated) {
          return fail(Status::InvalidArgument(
              "header " + name + " is a template, which only a templated format renders (a "
              "`template:`, or format slack, teams or pagerduty)"));
        }  // else the formatter renders it for each message
      }
      for (const auto& [name, file] : config.header_files) {
        Result<std::string> value = ReadValueFile(file, "headerFiles." + name + " file");
        if (!value) return fail(value.error());
        // As for inline values: a line break would end the header and start another.
        if (value->find_first_of("\r\n") != std::string::npos) {
          return fail(Status::InvalidArgument("headerFiles." + name + " file " + file +
                                              " holds a line break inside its value"));
        }
        http.headers.emplace_back(name, std::move(*value));
      }
      http.signing_secret = config.secret;
      if (!config.secret_file.empty()) {
        // A subscriber configured to sign never gets an unsigned message: an empty or
        // unreadable secret is an error, not "no signing".
        Result<std::string> secret = ReadValueFile(config.secret_file, "secretFile");
        if (!secret) return fail(secret.error());
        http.signing_secret = std::move(*secret);
      }
      Result<std::unique_ptr<Subscriber>> made = MakeHttpSubscriber(std::move(http));
      if (!made) return fail(made.error());
      subscription.subscriber = std::move(*made);
    }
    out.push_back(std::move(subscription));
  }
  return out;
}

}  // namespace kfpevents
