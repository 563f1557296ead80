#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/config.hpp"
#include "support/loopback_http_server.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_verifier.hpp"

namespace kfpevents {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using ::testing::Not;
using testing::TempDir;

std::string ProblemsOf(const std::string& yaml) {
  Result<Config> config = ParseConfig(yaml, "c.yaml");
  return config ? "" : config.error().message();
}

TEST(SubscriberSecretsConfigTest, AcceptsSecretsAndHeaderFilesAndRefusesContradictions) {
  Result<Config> config = ParseConfig(
      "subscribers:\n"
      "  - name: a\n    url: https://a.example/hook\n    secretFile: /run/secret\n"
      "    headerFiles: {X-Api-Key: /run/key}\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->subscribers[0].secret_file, "/run/secret");
  ASSERT_EQ(config->subscribers[0].header_files.size(), 1u);
  EXPECT_EQ(config->subscribers[0].header_files[0].second, "/run/key");

  EXPECT_THAT(ProblemsOf("subscribers:\n  - name: a\n    url: https://a.example/\n"
                         "    secret: whsec_c2VjcmV0\n    secretFile: /run/secret\n"),
              HasSubstr("c.yaml:5:17: subscribers[0].secretFile: give `secret` or `secretFile`, "
                        "not both"));
  EXPECT_THAT(ProblemsOf("subscribers:\n  - name: a\n    type: stdout\n    secret: hunter2\n"),
              AllOf(HasSubstr("subscribers[0].secret: not used by type stdout"),
                    Not(HasSubstr("hunter2"))));
}

TEST(SubscriberFilterConfigTest, ReadsNamespacesSelectorAndLevelAndReportsBadOnes) {
  Result<Config> config = ParseConfig(
      "subscribers:\n"
      "  - name: a\n    type: stdout\n    namespaces: [kubeflow, ml]\n"
      "    workflowSelector: \"team in (ml, data)\"\n    level: workflow\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.error().message();
  Result<std::vector<Subscription>> built = BuildSubscriptions(config->subscribers);
  ASSERT_TRUE(built);
  const SubscriptionFilter& filter = (*built)[0].filter;
  EXPECT_EQ(filter.namespaces, (std::set<std::string>{"kubeflow", "ml"}));
  EXPECT_EQ(filter.workflow_selector.text(), "team in (ml, data)");
  EXPECT_EQ(filter.level, EventLevel::kWorkflow);

  const std::string problems = ProblemsOf(
      "subscribers:\n  - name: a\n    type: stdout\n    namespaces: kubeflow\n"
      "    workflowSelector: \"team=\"\n    level: steps\n");
  EXPECT_THAT(problems, HasSubstr("c.yaml:4:17: subscribers[0].namespaces: must be a list of "
                                  "namespaces"));
  EXPECT_THAT(problems, HasSubstr("c.yaml:6:12: subscribers[0].level: must be workflow, node or "
                                  "all, not \"steps\""));
  EXPECT_EQ(ProblemsOf("subscribers:\n  - name: a\n    type: stdout\n"
                       "    workflowSelector: \"env in (a\"\n")
                .find("c.yaml:4:23: subscribers[0].workflowSelector: label selector requirement"),
            0u);
}

TEST(BuildSubscriptionsTest, ReadsSecretAndHeaderValuesFromFiles) {
  TempDir dir;
  const std::string secret = dir.Write("secret", "whsec_YSBzZWNyZXQga2V5IG9mIDI0IGJ5dGVz\n");
  const std::string key = dir.Write("key", "k-123\n");
  LoopbackHttpServer server;
  SubscriberConfig config;
  config.name = "signed";
  config.url = server.Url();
  config.secret_file = secret;
  config.header_files = {{"X-Api-Key", key}};
  Result<std::vector<Subscription>> built = BuildSubscriptions({config});
  ASSERT_TRUE(built) << built.error().ToString();
  const Message message{"msg_1", "{}", "application/json", {}};
  ASSERT_EQ((*built)[0].subscriber->Deliver(message, {}).outcome, DeliveryOutcome::kDelivered);
  const testing::RecordedRequest request = server.Requests().at(0);
  EXPECT_EQ(request.Header("X-Api-Key"), "k-123");
  EXPECT_EQ(request.Header("webhook-signature"),
            testing::ExpectedSignature("a secret key of 24 bytes", "msg_1",
                                       request.Header("webhook-timestamp"), "{}"));
}

TEST(BuildSubscriptionsTest, NamesAMissingFileOrBadSecretButNeverItsValue) {
  SubscriberConfig config;
  config.name = "signed";
  config.url = "https://a.example/hook";
  config.secret_file = "/nonexistent/secret";
  EXPECT_THAT(BuildSubscriptions({config}).error().message(),
              HasSubstr("subscriber \"signed\": cannot open secretFile /nonexistent/secret"));
  config.secret_file.clear();
  config.secret = "whsec_!!not-base64!!";
  const std::string message = BuildSubscriptions({config}).error().message();
  EXPECT_THAT(message, HasSubstr("subscriber \"signed\""));
  EXPECT_THAT(message, Not(HasSubstr("not-base64")));
}

}  // namespace
}  // namespace kfpevents
