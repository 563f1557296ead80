#include <gmock/gmock.h>
#include <filesystem>
#include <gtest/gtest.h>

#include "kfpevents/config.hpp"
#include "support/hostile_yaml.hpp"
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
  EXPECT_THAT(problems, HasSubstr("c.yaml:6:12: subscribers[0].level: must be workflow, node, run or "
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

// A subscriber configured to sign never gets an unsigned message, and no file can inject a
// header or take all the memory: each of these is an error `validate` and a reload report.
TEST(BuildSubscriptionsTest, SecretAndHeaderFilesThatCannotBeRightAreErrors) {
  TempDir dir;
  SubscriberConfig config;
  config.name = "signed";
  config.url = "https://a.example/hook";
  const auto error_with = [&](const std::string& secret_file) {
    config.secret_file = secret_file;
    Result<std::vector<Subscription>> built = BuildSubscriptions({config});
    return built ? std::string("built") : built.error().message();
  };
  std::filesystem::create_directories(dir.path() / "mounted-secret");
  EXPECT_THAT(error_with((dir.path() / "mounted-secret").string()),
              HasSubstr("is a directory: name the file of one key inside it"));
  EXPECT_THAT(error_with(dir.Write("empty", " \n")), HasSubstr("is empty"));
  EXPECT_THAT(error_with("/dev/zero"), HasSubstr("is not a regular file"));
  EXPECT_THAT(error_with(dir.Write("huge", std::string(70 * 1024, 'a'))),
              HasSubstr("is larger than 65536 bytes"));

  config.secret_file.clear();
  config.header_files = {{"X-Api-Key", dir.Write("key", "k-123\r\nX-Injected: 1\n")}};
  Result<std::vector<Subscription>> injected = BuildSubscriptions({config});
  ASSERT_FALSE(injected);
  EXPECT_THAT(injected.error().message(), HasSubstr("holds a line break inside its value"));
  EXPECT_THAT(injected.error().message(), Not(HasSubstr("k-123")));
  config.header_files = {{"X-Api-Key", "/dev/urandom"}};
  EXPECT_THAT(BuildSubscriptions({config}).error().message(), HasSubstr("is not a regular file"));
}

TEST(SubscriberConfigTest, ProtocolHeadersAndUnsafeNamesAreRefused) {
  EXPECT_THAT(ProblemsOf("subscribers:\n"
                         "  - name: a\n"
                         "    url: https://a.example/\n"
                         "    headers: {webhook-signature: v1,forged, Content-Length: \"3\"}\n"
                         "    headerFiles: {Host: /etc/hostname}\n"),
              AllOf(HasSubstr("subscribers[0].headers.webhook-signature: is set by kfp-eventd"),
                    HasSubstr("subscribers[0].headers.Content-Length: is set by kfp-eventd"),
                    HasSubstr("subscribers[0].headerFiles.Host: is set by kfp-eventd")));
  EXPECT_THAT(ProblemsOf("subscribers:\n"
                         "  - name: \"teams\\n2026-11-26 level=error forged\"\n"
                         "    url: https://a.example/\n"),
              HasSubstr("subscribers[0].name: must be letters, digits"));
  EXPECT_EQ(ProblemsOf("subscribers:\n  - {name: ci.teams_2-a, url: https://a.example/}\n"), "");
}

// "Billion laughs": nine lines that stand for 10^9 nodes are refused before anything walks them.
TEST(SubscriberConfigTest, AYamlAliasBombIsRefusedQuickly) {
  const std::string yaml = testing::AliasBombYaml() +
                           "subscribers:\n  - name: a\n    url: https://a.example/\n    events: *i\n";
  EXPECT_THAT(ProblemsOf(yaml), HasSubstr("expands to more than 100000 nodes"));
  EXPECT_THAT(ProblemsOf(std::string(2 * 1024 * 1024, '#')), HasSubstr("larger than"));
}

// A templated header is rendered by a templated format, and refused elsewhere rather than sent
// as "{{run_id}}".
TEST(BuildSubscriptionsTest, TemplatedHeadersNeedATemplatedFormat) {
  LoopbackHttpServer server;
  SubscriberConfig config;
  config.name = "slack";
  config.url = server.Url();
  config.format = "slack";
  config.headers = {{"X-Run-Id", "{{run_id}}"}, {"X-Static", "1"}};
  Result<std::vector<Subscription>> built = BuildSubscriptions({config});
  ASSERT_TRUE(built) << built.error().ToString();
  config.format = "kfp";
  Result<std::vector<Subscription>> plain = BuildSubscriptions({config});
  ASSERT_FALSE(plain);
  EXPECT_THAT(plain.error().message(), HasSubstr("header X-Run-Id is a template"));
}

}  // namespace
}  // namespace kfpevents
