// NATS JetStream: a Subscriber that publishes each message to a subject, acknowledged by the
// stream, and the formatter decorator that names each message's subject from a template.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "kfpevents/formatters.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents::nats {

struct NatsOptions {
  std::string name;     // the subscriber's name: the connection's, as the server lists it
  std::string servers;  // "nats://a:4222,nats://b:4222"; tls:// requires TLS
  std::string stream;   // "" for any; else a publish must be stored by this stream
  std::string credentials_file;  // a .creds file (user JWT and NKey seed)
  std::string nkey;              // a user NKey's public key, with its seed file
  std::string nkey_seed_file;
  std::string username;  // values are never logged
  std::string password;
  std::string ca_file;  // TLS: trust this CA (implies TLS)
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};  // connect, and each publish's ack
};

// Publishes message.body to the subject in message.destination with the header Nats-Msg-Id set
// to message.id, so that JetStream's duplicate window drops a redelivery. Delivered only once the
// stream acknowledges; no stream, no ack in time or no server is kRetryable; a message the
// stream can never take (too large, the wrong stream) is kPermanent. Connects on first use and
// reconnects as needed. kInvalidArgument for servers that are not nats:// or tls:// URLs.
Result<std::unique_ptr<Subscriber>> MakeNatsSubscriber(NatsOptions options);

// `inner`'s messages with their destination set to `subject_template` rendered for each
// notification (the fields of docs/TEMPLATES.md). Each value placed in it becomes one subject
// token: '.', '*', '>', whitespace and control characters become '_', and an empty token "_".
// kInvalidArgument names a template that does not parse or names an unknown field.
Result<std::unique_ptr<MessageFormatter>> WithSubject(std::shared_ptr<const MessageFormatter> inner,
                                                      const std::string& subject_template,
                                                      const TemplateOptions& options);

// The default subject: kfp.NAMESPACE.PIPELINE.REASON.
inline constexpr const char* kDefaultSubject = "kfp.{{namespace}}.{{pipeline}}.{{reason}}";

}  // namespace kfpevents::nats
