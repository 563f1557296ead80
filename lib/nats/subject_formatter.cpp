// Names each message's NATS subject from a Mustache template over the notification.
#include <kainjow/mustache.hpp>

#include "format/template_context.hpp"
#include "nats/nats.hpp"

namespace kfpevents::nats {
namespace {

// A value becomes part of one token: no separator, wildcard, space or control character.
std::string AsToken(const std::string& value) {
  std::string token = value;
  for (char& c : token) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '.' || c == '*' || c == '>' || byte <= ' ' || byte == 0x7f) c = '_';
  }
  return token;
}

// "kfp..x." -> "kfp._.x._": a subject has no empty token.
std::string WithoutEmptyTokens(const std::string& subject) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = subject.find('.', start);
    const std::string token = subject.substr(start, dot == std::string::npos ? dot : dot - start);
    out += token.empty() ? "_" : token;
    if (dot == std::string::npos) return out;
    out += '.';
    start = dot + 1;
  }
}

class SubjectFormatter final : public MessageFormatter {
 public:
  SubjectFormatter(std::shared_ptr<const MessageFormatter> inner, std::string subject,
                   TemplateOptions options)
      : inner_(std::move(inner)), subject_(std::move(subject)), options_(std::move(options)) {}

  Result<Message> Format(const Notification& notification) const override {
    Result<Message> message = inner_->Format(notification);
    if (!message) return message;
    kainjow::mustache::mustache renderer(subject_);
    renderer.set_custom_escape(&AsToken);
    const std::string subject = renderer.render(format::TemplateContext(notification, options_));
    if (!renderer.is_valid()) {
      return Status::InvalidArgument("the subject template failed: " + renderer.error_message());
    }
    message->destination = WithoutEmptyTokens(subject);
    return message;
  }

 private:
  const std::shared_ptr<const MessageFormatter> inner_;
  const std::string subject_;
  const TemplateOptions options_;
};

}  // namespace

Result<std::unique_ptr<MessageFormatter>> WithSubject(std::shared_ptr<const MessageFormatter> inner,
                                                      const std::string& subject_template,
                                                      const TemplateOptions& options) {
  Status checked = format::ParseTemplate(subject_template);
  if (checked.ok()) checked = format::CheckTemplate(subject_template, false, options);
  if (!checked.ok()) return Status::InvalidArgument("subject: " + checked.message());
  for (const char c : subject_template) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*' || c == '>') {
      return Status::InvalidArgument(
          "subject: a subject to publish to has no whitespace and no wildcard (* or >)");
    }
  }
  return std::unique_ptr<MessageFormatter>(
      std::make_unique<SubjectFormatter>(std::move(inner), subject_template, options));
}

}  // namespace kfpevents::nats
