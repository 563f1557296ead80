// Messages from Mustache templates (kainjow's header-only library, Debian's
// libkainjow-mustache-dev): logic-less, so a template can only place values, never run code.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "format/builtin_templates.hpp"
#include "format/template_context.hpp"
#include "json/go_json.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents {
namespace {

bool IsJson(const std::string& content_type) {
  const std::string type = content_type.substr(0, content_type.find(';'));
  return type == "application/json" ||
         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

// A JSON string's content: what goes between its quotes.
std::string JsonEscaped(const std::string& value) {
  std::string quoted;
  json::AppendGoString(quoted, value);
  return quoted.substr(1, quoted.size() - 2);
}

// Slack's mrkdwn takes <...> as links and mentions (<!channel>): a value shows as written.
std::string SlackJsonEscaped(const std::string& value) {
  std::string text;
  for (const char c : value) {
    if (c == '&') {
      text += "&amp;";
    } else if (c == '<') {
      text += "&lt;";
    } else if (c == '>') {
      text += "&gt;";
    } else {
      text += c;
    }
  }
  return JsonEscaped(text);
}

class TemplateFormatter final : public MessageFormatter {
 public:
  TemplateFormatter(std::string text, std::string content_type, TemplateOptions options,
                    bool slack)
      : text_(std::move(text)),
        content_type_(std::move(content_type)),
        json_(IsJson(content_type_)),
        slack_(slack),
        options_(std::move(options)) {}

  Status Parse() {
    for (const auto& [name, value] : options_.header_templates) {
      Status checked = format::ParseTemplate(value);
      if (checked.ok()) checked = format::CheckTemplate(value, false, options_);
      if (!checked.ok()) return Status::InvalidArgument("header " + name + ": " + checked.message());
    }
    if (Status parsed = format::ParseTemplate(text_); !parsed.ok()) {
      return Status::InvalidArgument("the template does not parse: " + parsed.message());
    }
    return format::CheckTemplate(text_, json_, options_);
  }

  Result<Message> Format(const Notification& notification) const override {
    // A mustache object renders with per-call state: one per message keeps Format const.
    const kainjow::mustache::data context = format::TemplateContext(notification, options_);
    kainjow::mustache::mustache renderer(text_);
    if (json_) renderer.set_custom_escape(slack_ ? &SlackJsonEscaped : &JsonEscaped);
    const std::string body = renderer.render(context);
    if (!renderer.is_valid()) {
      return Status::InvalidArgument("the template failed: " + renderer.error_message());
    }
    if (json_) {
      rapidjson::Document document;
      document.Parse(body.c_str(), body.size());
      if (document.HasParseError()) {
        return Status::InvalidArgument(
            std::string("the template made a body that is not JSON (") +
            rapidjson::GetParseError_En(document.GetParseError()) + " at byte " +
            std::to_string(document.GetErrorOffset()) + ")");
      }
    }
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& [name, value] : options_.header_templates) {
      kainjow::mustache::mustache header(value);
      header.set_custom_escape([](const std::string& text) { return text; });
      std::string rendered = header.render(context);
      for (char& c : rendered) {
        if (c == '\r' || c == '\n') c = ' ';  // one line: no value can start another header
      }
      headers.emplace_back(name, std::move(rendered));
    }
    return Message{MessageIdForKey(notification.key), body, content_type_, std::move(headers), ""};
  }

 private:
  const std::string text_;
  const std::string content_type_;
  const bool json_;
  const bool slack_;
  const TemplateOptions options_;
};

}  // namespace

namespace format {

Result<std::unique_ptr<MessageFormatter>> MakeTemplateFormatter(const std::string& template_text,
                                                                const std::string& content_type,
                                                                const TemplateOptions& options,
                                                                bool slack_escaping) {
  auto formatter = std::make_unique<TemplateFormatter>(
      template_text, content_type.empty() ? "application/json" : content_type, options,
      slack_escaping);
  if (Status parsed = formatter->Parse(); !parsed.ok()) return parsed;
  return std::unique_ptr<MessageFormatter>(std::move(formatter));
}

}  // namespace format

Result<std::unique_ptr<MessageFormatter>> MakeTemplateFormatter(const std::string& template_text,
                                                                const std::string& content_type,
                                                                const TemplateOptions& options) {
  return format::MakeTemplateFormatter(template_text, content_type, options, false);
}

}  // namespace kfpevents
