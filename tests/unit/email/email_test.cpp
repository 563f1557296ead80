// Email: the formatted message (headers, text and HTML parts, hostile values) and its delivery to
// an SMTP server on loopback, with the SMTP reply deciding retry or not.
#include "email/email.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "core/base64.hpp"
#include "kfpevents/argo.hpp"
#include "kfpevents/transition.hpp"
#include "support/edit_workflow.hpp"
#include "support/mocks.hpp"
#include "support/smtp_server.hpp"

namespace kfpevents::email {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Notification FailedRun(const std::string& run_name) {
  Notification notification;
  notification.event = testing::MakeEvent("churn-x7k2p", "WorkflowFailed", "child failed");
  WorkflowInfo workflow;
  workflow.name = "churn-x7k2p";
  workflow.generate_name = "churn-";
  workflow.namespace_name = "team-a";
  workflow.phase = "Failed";
  workflow.kfp_v2 = true;
  workflow.labels[kRunIdLabel] = "run-7";
  workflow.annotations[kRunNameAnnotation] = run_name;
  NodeSummary train;
  train.name = "churn-x7k2p.train";
  train.task = "train";
  train.phase = "Failed";
  train.message = "OOMKilled <script>alert(1)</script>";
  workflow.nodes.push_back(train);
  notification.workflow = testing::Shared(workflow);
  notification.key = "run-key";
  return notification;
}

// The decoded body of the MIME part of `type`.
std::string Part(const std::string& mail, const std::string& type) {
  const std::size_t header = mail.find("Content-Type: " + type);
  if (header == std::string::npos) return {};
  const std::size_t start = mail.find("\r\n\r\n", header) + 4;
  const std::size_t end = mail.find("\r\n--", start);
  std::string base64;
  for (const char c : mail.substr(start, end - start)) {
    if (c != '\r' && c != '\n') base64 += c;
  }
  return DecodeBase64(base64).value_or("(not base64)");
}

std::string Header(const std::string& mail, const std::string& name) {
  std::smatch match;
  const std::regex line("(^|\r\n)" + name + ": ([^\r\n]*)");
  return std::regex_search(mail, match, line) ? match[2].str() : "";
}

EmailFormat Format() {
  return {"kfp-eventd@example.com",
          {"ml-team@example.com", "oncall@example.com"},
          "",
          "",
          "",
          {"https://kubeflow.example.com/pipeline", {}}};
}

TEST(EmailFormatterTest, ASubjectATextAndAnHtmlPartWithTheFailedTaskAndALink) {
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeEmailFormatter(Format());
  ASSERT_TRUE(formatter) << formatter.error().ToString();
  Result<Message> message = (*formatter)->Format(FailedRun("nightly"));
  ASSERT_TRUE(message) << message.error().ToString();
  const std::string& mail = message->body;
  EXPECT_EQ(Header(mail, "Subject"), "[kfp] nightly Failed (churn)");
  EXPECT_EQ(Header(mail, "To"), "ml-team@example.com, oncall@example.com");
  EXPECT_EQ(Header(mail, "Message-ID"), "<" + MessageIdForKey("run-key") + "@kfp-eventd>");
  const std::string text = Part(mail, "text/plain");
  EXPECT_THAT(text, HasSubstr("  - train: OOMKilled <script>alert(1)</script>\n"));
  EXPECT_THAT(text, HasSubstr("Open the run: https://kubeflow.example.com/pipeline/#/runs/details/run-7"));
  const std::string html = Part(mail, "text/html");
  EXPECT_THAT(html, HasSubstr("OOMKilled &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

// A line break in a value can never add a header.
TEST(EmailFormatterTest, AHostileRunNameStaysInTheSubject) {
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeEmailFormatter(Format());
  ASSERT_TRUE(formatter);
  const std::string mail =
      (*formatter)->Format(FailedRun("x\r\nBcc: everyone@example.com\r\n\r\nbody"))->body;
  EXPECT_EQ(Header(mail, "Bcc"), "");
  EXPECT_THAT(Header(mail, "Subject"), HasSubstr("x  Bcc: everyone@example.com"));
  Result<Message> unicode = (*formatter)->Format(FailedRun("nächtlich"));
  EXPECT_THAT(Header(unicode->body, "Subject"), ::testing::StartsWith("=?UTF-8?B?"));
}

TEST(EmailFormatterTest, ABrokenTemplateIsAnError) {
  EmailFormat format = Format();
  format.subject = "{{#failed}}unclosed";
  Result<std::unique_ptr<MessageFormatter>> formatter = MakeEmailFormatter(format);
  ASSERT_FALSE(formatter);
  EXPECT_THAT(formatter.error().message(),
              HasSubstr("subject: line 1, column 1: Unclosed section"));
  // Like any template, a field that does not exist is named with its place.
  format = Format();
  format.html = "<p>{{runid}}</p>";
  formatter = MakeEmailFormatter(format);
  ASSERT_FALSE(formatter);
  EXPECT_THAT(formatter.error().message(),
              HasSubstr("the HTML template: line 1, column 4: unknown field \"runid\""));
}

TEST(SmtpSubscriberTest, DeliversToTheServerAndReadsItsReply) {
  testing::SmtpServer server;
  SmtpOptions options{server.Url(), "kfp-eventd@example.com", {"ml-team@example.com"}};
  options.starttls = false;
  Result<std::unique_ptr<Subscriber>> subscriber = MakeSmtpSubscriber(options);
  ASSERT_TRUE(subscriber) << subscriber.error().ToString();
  const Message mail{"msg_1", "Subject: hi\r\n\r\n.line starting with a dot\r\n", "", {}, ""};
  EXPECT_EQ((*subscriber)->Deliver(mail, {}).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(server.Mails().size(), 1u);
  EXPECT_EQ(server.Mails()[0].from, "kfp-eventd@example.com");
  EXPECT_THAT(server.Mails()[0].to, ElementsAre("ml-team@example.com"));
  EXPECT_THAT(server.Mails()[0].data, HasSubstr("\r\n.line starting with a dot\r\n"));

  server.ReplyToRecipients(450);
  const DeliveryResult later = (*subscriber)->Deliver(mail, {});
  EXPECT_EQ(later.outcome, DeliveryOutcome::kRetryable) << later.detail;
  server.ReplyToRecipients(550);
  const DeliveryResult refused = (*subscriber)->Deliver(mail, {});
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kPermanent) << refused.detail;
  EXPECT_THAT(refused.detail, HasSubstr("SMTP 550"));
}

// smtp:// without TLS where STARTTLS is required (the default) is refused, not sent in clear.
TEST(SmtpSubscriberTest, StartTlsIsRequiredUnlessTurnedOff) {
  testing::SmtpServer server;  // offers no STARTTLS
  SmtpOptions options{server.Url(), "kfp-eventd@example.com", {"ml-team@example.com"}};
  Result<std::unique_ptr<Subscriber>> subscriber = MakeSmtpSubscriber(options);
  ASSERT_TRUE(subscriber);
  const DeliveryResult refused =
      (*subscriber)->Deliver({"msg_1", "Subject: hi\r\n\r\nx\r\n", "", {}, ""}, {});
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kPermanent) << refused.detail;
  EXPECT_TRUE(server.Mails().empty());
  options.url = "https://example.com/";
  EXPECT_FALSE(MakeSmtpSubscriber(options));
}

}  // namespace
}  // namespace kfpevents::email
