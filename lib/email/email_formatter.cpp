// A notification as an email: templated subject and parts (plain text and HTML alternatives),
// each value escaped for where it goes (header, text, HTML).
#include <kainjow/mustache.hpp>

#include <random>

#include "core/base64.hpp"
#include "email/email.hpp"
#include "format/template_context.hpp"
#include "kfpevents/transition.hpp"

namespace kfpevents::email {
namespace {

constexpr const char* kSubject =
    "[kfp] {{title}} {{#timed_out}}timed out{{/timed_out}}{{^timed_out}}{{outcome}}{{/timed_out}}"
    "{{#has_pipeline}} ({{pipeline}}){{/has_pipeline}}";

constexpr const char* kText =
    "{{title}} {{#is_node}}step {{node}} {{node_phase}}{{/is_node}}{{^is_node}}{{outcome}}"
    "{{/is_node}}{{#has_duration}} after {{duration}}{{/has_duration}}.\n\n"
    "{{#has_pipeline}}Pipeline:  {{pipeline}}\n{{/has_pipeline}}"
    "Namespace: {{namespace}}\nRun id:    {{run_id}}\n"
    "{{#has_failed_tasks}}\nFailed:\n{{#failed_tasks}}  - {{name}}: {{message}}\n"
    "{{/failed_tasks}}{{/has_failed_tasks}}"
    "{{#has_parameters}}\nParameters:\n{{#parameters}}  {{name}} = {{value}}\n"
    "{{/parameters}}{{/has_parameters}}"
    "{{#has_run_url}}\nOpen the run: {{run_url}}\n{{/has_run_url}}";

constexpr const char* kHtml =
    "<!DOCTYPE html><html><body style=\"font-family: sans-serif\">"
    "<h2 style=\"color: {{#succeeded}}#2eb886{{/succeeded}}{{#failed}}#a30200{{/failed}}\">"
    "{{title}} {{#is_node}}step {{node}} {{node_phase}}{{/is_node}}{{^is_node}}{{outcome}}"
    "{{/is_node}}</h2>"
    "<table>{{#has_pipeline}}<tr><td>Pipeline</td><td>{{pipeline}}</td></tr>{{/has_pipeline}}"
    "<tr><td>Namespace</td><td>{{namespace}}</td></tr>"
    "{{#has_duration}}<tr><td>Duration</td><td>{{duration}}</td></tr>{{/has_duration}}"
    "<tr><td>Run id</td><td>{{run_id}}</td></tr></table>"
    "{{#has_failed_tasks}}<h3>Failed</h3><ul>{{#failed_tasks}}<li><b>{{name}}</b>: {{message}}"
    "</li>{{/failed_tasks}}</ul>{{/has_failed_tasks}}"
    "{{#has_parameters}}<h3>Parameters</h3><table>{{#parameters}}<tr><td>{{name}}</td>"
    "<td>{{value}}</td></tr>{{/parameters}}</table>{{/has_parameters}}"
    "{{#has_run_url}}<p><a href=\"{{run_url}}\">Open the run</a></p>{{/has_run_url}}"
    "</body></html>";

std::string Identity(const std::string& value) { return value; }

// A header value cannot hold a line break: it would start another header.
std::string OneLine(const std::string& value) {
  std::string out;
  for (const char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

// RFC 2047: a non-ASCII subject as UTF-8 in base64.
std::string EncodedHeader(const std::string& value) {
  for (const unsigned char c : value) {
    if (c >= 0x80) return "=?UTF-8?B?" + EncodeBase64(value) + "?=";
  }
  return value;
}

// Base64 in lines of 76, as MIME asks.
std::string Base64Lines(const std::string& bytes) {
  const std::string encoded = EncodeBase64(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

class EmailFormatter final : public MessageFormatter {
 public:
  explicit EmailFormatter(EmailFormat format) : format_(std::move(format)) {
    if (format_.subject.empty()) format_.subject = kSubject;
    if (format_.text.empty()) format_.text = kText;
    if (format_.html.empty()) format_.html = kHtml;
  }

  Status Parse() const {
    for (const auto& [text, what] : {std::pair{format_.subject, "subject"},
                                     std::pair{format_.text, "the text template"},
                                     std::pair{format_.html, "the HTML template"}}) {
      Status checked = format::ParseTemplate(text);
      if (checked.ok()) checked = format::CheckTemplate(text, false, format_.options);
      if (!checked.ok()) return Status::InvalidArgument(std::string(what) + ": " + checked.message());
    }
    return Status::Ok();
  }

  Result<Message> Format(const Notification& notification) const override {
    const kainjow::mustache::data context =
        format::TemplateContext(notification, format_.options);
    const auto render = [&](const std::string& text, bool html) {
      kainjow::mustache::mustache renderer(text);
      if (!html) renderer.set_custom_escape(&Identity);  // HTML-escaping is the default
      return renderer.render(context);
    };
    const std::string id = MessageIdForKey(notification.key);
    const std::string boundary = "kfp-eventd-" + id;
    std::string to;
    for (const std::string& recipient : format_.to) to += (to.empty() ? "" : ", ") + recipient;
    std::string mail;
    mail += "From: " + OneLine(format_.from) + "\r\n";
    mail += "To: " + OneLine(to) + "\r\n";
    mail += "Subject: " + EncodedHeader(OneLine(render(format_.subject, false))) + "\r\n";
    // The message id is the notification's: a redelivery is recognisably the same mail.
    mail += "Message-ID: <" + id + "@kfp-eventd>\r\n";
    mail += "MIME-Version: 1.0\r\n";
    mail += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    for (const auto& [type, html] : {std::pair{"text/plain", false}, std::pair{"text/html", true}}) {
      mail += "--" + boundary + "\r\n";
      mail += std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
      mail += "Content-Transfer-Encoding: base64\r\n\r\n";
      mail += Base64Lines(render(html ? format_.html : format_.text, html));
    }
    mail += "--" + boundary + "--\r\n";
    return Message{id, mail, "message/rfc822", {}, ""};
  }

 private:
  EmailFormat format_;
};

}  // namespace

Result<std::unique_ptr<MessageFormatter>> MakeEmailFormatter(EmailFormat format) {
  auto formatter = std::make_unique<EmailFormatter>(std::move(format));
  if (Status parsed = formatter->Parse(); !parsed.ok()) return parsed;
  return std::unique_ptr<MessageFormatter>(std::move(formatter));
}

}  // namespace kfpevents::email
