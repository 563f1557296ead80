// Email: a formatter that writes a notification as an RFC 5322 message (templated subject, plain
// text and HTML alternatives), and a Subscriber that sends it over SMTP with libcurl.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kfpevents/formatters.hpp"
#include "kfpevents/subscriber.hpp"

namespace kfpevents::email {

struct EmailFormat {
  std::string from;
  std::vector<std::string> to;
  std::string subject;    // a template; "" for the built-in one
  std::string text;       // a template for the text/plain part; "" for the built-in one
  std::string html;       // a template for the text/html part; "" for the built-in one
  TemplateOptions options;
};

// kInvalidArgument names a template that does not parse or names an unknown field.
Result<std::unique_ptr<MessageFormatter>> MakeEmailFormatter(EmailFormat format);

struct SmtpOptions {
  std::string url;  // smtp://host:587 (STARTTLS unless `starttls` is false) or smtps://host:465
  std::string from;
  std::vector<std::string> to;
  std::string username;  // "" for none; values are never logged
  std::string password;
  bool starttls = true;  // smtp://: refuse to send unless the server upgrades to TLS
  std::string ca_file;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

// kInvalidArgument for a URL that is not smtp:// or smtps://, or no sender or recipient.
Result<std::unique_ptr<Subscriber>> MakeSmtpSubscriber(SmtpOptions options);

}  // namespace kfpevents::email
