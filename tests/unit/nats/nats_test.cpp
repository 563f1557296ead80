// type: nats below the daemon: subjects from templates, and what the subscriber makes of each
// kind of failure, against a real nats-server.
#include "nats/nats.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kfpevents/config.hpp"
#include "support/edit_workflow.hpp"
#include "support/nats_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "unit/format/run_ended.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

std::string SubjectFor(const std::string& subject_template, const Notification& notification) {
  Result<std::unique_ptr<MessageFormatter>> kfp = MakeFormatter("kfp");
  Result<std::unique_ptr<MessageFormatter>> formatter =
      nats::WithSubject(std::move(*kfp), subject_template, {});
  EXPECT_TRUE(formatter) << formatter.error().ToString();
  Result<Message> message = (*formatter)->Format(notification);
  EXPECT_TRUE(message) << message.error().ToString();
  return message->destination;
}

TEST(NatsSubjectTest, EachValueIsOneTokenAndNoTokenIsEmpty) {
  Notification notification = testing::RunEnded(true);
  EXPECT_EQ(SubjectFor(nats::kDefaultSubject, notification), "kfp.team-a.churn.WorkflowFailed");
  // A value with separators, wildcards or spaces stays one token; an empty one becomes "_".
  testing::EditWorkflow(notification).generate_name = "a.b *>c\td-";
  EXPECT_EQ(SubjectFor(nats::kDefaultSubject, notification), "kfp.team-a.a_b___c_d.WorkflowFailed");
  testing::EditWorkflow(notification).generate_name = "";
  testing::EditWorkflow(notification).annotations.clear();
  EXPECT_EQ(SubjectFor("kfp.{{pipeline}}.{{reason}}", notification), "kfp._.WorkflowFailed");
}

TEST(NatsSubjectTest, BadSubjectTemplatesAreRefusedAtLoad) {
  for (const auto& [subject, problem] :
       std::vector<std::pair<std::string, std::string>>{
           {"kfp.{{#reason}}", "Unclosed section"},
           {"kfp.{{runid}}", "unknown field \"runid\""},
           {"kfp.>", "no wildcard"},
           {"kfp.{{namespace}} x", "no whitespace"}}) {
    Result<std::unique_ptr<MessageFormatter>> formatter =
        nats::WithSubject(std::move(*MakeFormatter("kfp")), subject, {});
    ASSERT_FALSE(formatter) << subject;
    EXPECT_THAT(formatter.error().message(), HasSubstr(problem)) << subject;
  }
}

TEST(NatsConfigTest, TypeNatsTakesItsKeysAndRefusesOthers) {
  Result<Config> good = ParseConfig("subscribers:\n"
                                    "  - name: fleet\n"
                                    "    type: nats\n"
                                    "    url: nats://a:4222,tls://b:4222\n"
                                    "    subject: kfp.{{reason}}\n"
                                    "    stream: KFP\n"
                                    "    credentialsFile: /etc/nats/creds\n",
                                    "nats.yaml");
  ASSERT_TRUE(good) << good.error().ToString();
  EXPECT_EQ(good->subscribers[0].type, SubscriberType::kNats);
  EXPECT_EQ(good->subscribers[0].stream, "KFP");
  Result<Config> bad = ParseConfig("subscribers:\n"
                                   "  - name: fleet\n"
                                   "    type: nats\n"
                                   "    secret: whsec_x\n"
                                   "    nkey: UABC\n"
                                   "  - name: hook\n"
                                   "    url: https://x.example/hook\n"
                                   "    stream: KFP\n",
                                   "nats.yaml");
  ASSERT_FALSE(bad);
  const std::string problems = bad.error().message();
  EXPECT_THAT(problems, HasSubstr("missing required key `url` (nats://host:4222"));
  EXPECT_THAT(problems, HasSubstr("subscribers[0].secret: not used by type nats"));
  EXPECT_THAT(problems, HasSubstr("`nkey` (the public key) and `nkeySeedFile` go together"));
  EXPECT_THAT(problems, HasSubstr("nats.yaml:8:13: subscribers[1].stream: only type nats takes stream"));
}

class NatsSubscriberTest : public ::testing::Test {
 protected:
  NatsSubscriberTest() : server_((dir_.path() / "js").string()) {}

  DeliveryResult Publish(const std::string& subject, const std::string& stream = "") {
    nats::NatsOptions options;
    options.name = "test";
    options.servers = server_.Url();
    options.stream = stream;
    options.timeout = std::chrono::seconds(2);
    Result<std::unique_ptr<Subscriber>> subscriber = nats::MakeNatsSubscriber(options);
    EXPECT_TRUE(subscriber) << subscriber.error().ToString();
    Message message{"msg_1", "{}", "application/json", {}, subject};
    return (*subscriber)->Deliver(message, {});
  }

  testing::TempDir dir_;
  testing::NatsServer server_;
};

TEST_F(NatsSubscriberTest, NoStreamForTheSubjectIsRetried) {
  const DeliveryResult result = Publish("kfp.x");
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable);
  EXPECT_THAT(result.detail, HasSubstr("no JetStream stream takes subject kfp.x"));
}

TEST_F(NatsSubscriberTest, AnotherStreamThanTheExpectedOneIsPermanent) {
  server_.AddStream("OTHER", "kfp.>");
  const DeliveryResult result = Publish("kfp.x", "KFP");
  EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanent);
  EXPECT_THAT(result.detail, HasSubstr("not stored by stream KFP"));
  EXPECT_THAT(server_.Messages("OTHER"), ::testing::IsEmpty());
}

TEST_F(NatsSubscriberTest, ARepeatedIdIsDeliveredButStoredOnce) {
  server_.AddStream("KFP", "kfp.>");
  EXPECT_EQ(Publish("kfp.x", "KFP").outcome, DeliveryOutcome::kDelivered);
  const DeliveryResult again = Publish("kfp.x", "KFP");
  EXPECT_EQ(again.outcome, DeliveryOutcome::kDelivered);
  EXPECT_THAT(again.detail, HasSubstr("duplicate"));
  EXPECT_EQ(server_.Messages("KFP").size(), 1u);
}

// A server that wants a user and a password: the right ones publish, a wrong one is retried (a
// rotated Secret fixes it) and says why, never with the password.
TEST(NatsAuthTest, AUserAndPasswordPublishAndAWrongOneIsRetried) {
  testing::TempDir dir;
  testing::NatsServer server((dir.path() / "js").string(), {"kfp-eventd", "s3cret", "", "", ""});
  server.AddStream("KFP", "kfp.>");
  nats::NatsOptions options;
  options.name = "auth";
  options.servers = server.Url();
  options.username = "kfp-eventd";
  options.password = "s3cret";
  options.timeout = std::chrono::seconds(2);
  const Message message{"msg_1", "{}", "application/json", {}, "kfp.x"};
  EXPECT_EQ((*nats::MakeNatsSubscriber(options))->Deliver(message, {}).outcome,
            DeliveryOutcome::kDelivered);
  options.password = "wrong-one";
  const DeliveryResult refused = (*nats::MakeNatsSubscriber(options))->Deliver(message, {});
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kRetryable);
  EXPECT_THAT(refused.detail, HasSubstr("cannot connect to NATS"));
  EXPECT_THAT(refused.detail, ::testing::Not(HasSubstr("wrong-one")));
  EXPECT_EQ(server.Messages("KFP").size(), 1u);
}

// tls:// with the CA that signed the server's certificate publishes; without it, the
// certificate is not trusted and nothing is sent.
TEST(NatsTlsTest, TheServersCertificateIsCheckedAgainstTheGivenCa) {
  testing::TempDir dir;
  const testing::TestPki pki = testing::MakeTestPki(dir);
  testing::NatsServer server((dir.path() / "js").string(),
                             {"", "", pki.server_cert, pki.server_key, pki.ca_cert});
  server.AddStream("KFP", "kfp.>");
  ASSERT_EQ(server.Url().rfind("tls://", 0), 0u);
  nats::NatsOptions options;
  options.name = "tls";
  options.servers = server.Url();
  options.ca_file = pki.ca_cert;
  options.timeout = std::chrono::seconds(2);
  const Message message{"msg_1", "{}", "application/json", {}, "kfp.x"};
  const DeliveryResult trusted = (*nats::MakeNatsSubscriber(options))->Deliver(message, {});
  EXPECT_EQ(trusted.outcome, DeliveryOutcome::kDelivered) << trusted.detail;
  options.ca_file.clear();
  const DeliveryResult untrusted = (*nats::MakeNatsSubscriber(options))->Deliver(message, {});
  EXPECT_EQ(untrusted.outcome, DeliveryOutcome::kRetryable);
  EXPECT_EQ(server.Messages("KFP").size(), 1u);
}

// Deliver is thread-safe: a subscription's concurrency runs publishes at once on one connection,
// and each lands once.
TEST_F(NatsSubscriberTest, PublishesFromSeveralThreadsAtOnceEachLandOnce) {
  server_.AddStream("KFP", "kfp.>");
  nats::NatsOptions options;
  options.name = "many";
  options.servers = server_.Url();
  options.stream = "KFP";
  Result<std::unique_ptr<Subscriber>> subscriber = nats::MakeNatsSubscriber(options);
  ASSERT_TRUE(subscriber);
  EXPECT_GT((*subscriber)->MaxConcurrentDeliveries(), 1);
  std::vector<std::thread> threads;
  std::atomic<int> delivered{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const Message message{"msg_" + std::to_string(t) + "_" + std::to_string(i), "{}",
                              "application/json", {}, "kfp.x"};
        delivered += (*subscriber)->Deliver(message, {}).outcome == DeliveryOutcome::kDelivered;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(delivered, 100);
  EXPECT_EQ(server_.Messages("KFP").size(), 100u);
}

TEST(NatsSubscriberFailureTest, NoServerIsRetriedAndBadUrlsAreRefused) {
  nats::NatsOptions options;
  options.name = "test";
  options.servers = "nats://127.0.0.1:1";
  options.timeout = std::chrono::seconds(1);
  Result<std::unique_ptr<Subscriber>> subscriber = nats::MakeNatsSubscriber(options);
  ASSERT_TRUE(subscriber);
  const DeliveryResult result =
      (*subscriber)->Deliver(Message{"msg_1", "{}", "application/json", {}, "kfp.x"}, {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable);
  EXPECT_THAT(result.detail, HasSubstr("cannot connect to NATS at nats://127.0.0.1:1"));
  options.servers = "nats://a:4222,http://b";
  Result<std::unique_ptr<Subscriber>> bad = nats::MakeNatsSubscriber(options);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("not \"http://b\""));
}

}  // namespace
}  // namespace kfpevents
