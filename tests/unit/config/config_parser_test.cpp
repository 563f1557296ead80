#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/config.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Problems(const std::string& yaml) {
  Result<Config> config = ParseConfig(yaml, "test.yaml");
  EXPECT_FALSE(config) << "expected problems in:\n" << yaml;
  return config ? "" : config.error().message();
}

TEST(ParseConfigTest, ReadsEveryKey) {
  Result<Config> config = ParseConfig(R"(
subscribers:
  - name: teams
    url: https://hooks.example.com/teams
  - name: ci
    url: http://ci.local:8080/done
    format: kfp
    events: [WorkflowSucceeded, WorkflowFailed]
    headers:
      X-Api-Key: abc
      X-Team: ml
  - name: debug
    type: stdout
)",
                                      "test.yaml");
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_EQ(config->subscribers.size(), 3u);
  const SubscriberConfig& ci = config->subscribers[1];
  EXPECT_EQ(ci.name, "ci");
  EXPECT_EQ(ci.type, SubscriberType::kWebhook);
  EXPECT_EQ(ci.url, "http://ci.local:8080/done");
  EXPECT_EQ(ci.events, (std::vector<std::string>{"WorkflowSucceeded", "WorkflowFailed"}));
  EXPECT_EQ(ci.headers.size(), 2u);
  EXPECT_EQ(ci.origin, "test.yaml:5");
  EXPECT_EQ(config->subscribers[2].type, SubscriberType::kStdout);
  EXPECT_EQ(config->subscribers[0].format, "kfp");
}

TEST(ParseConfigTest, JsonIsAcceptedAndAnEmptyFileConfiguresNothing) {
  Result<Config> json =
      ParseConfig(R"({"subscribers":[{"name":"a","url":"http://127.0.0.1/x"}]})", "c.json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->subscribers.size(), 1u);
  ASSERT_TRUE(ParseConfig("", "empty.yaml"));
  EXPECT_TRUE(ParseConfig("subscribers:\n", "empty.yaml")->subscribers.empty());
}

TEST(ParseConfigTest, ReportsEveryProblemWithLineColumnAndKeyPath) {
  const std::string problems = Problems(R"(subscribers:
  - name: teams
    url: ftp://example.com/x
    colour: blue
  - url: http://127.0.0.1/a
  - name: teams
    url: http://127.0.0.1/b
  - name: x
    url: http://127.0.0.1/c
    format: xml
    events: WorkflowFailed
    type: pager
)");
  EXPECT_THAT(problems, HasSubstr("test.yaml:3:10: subscribers[0].url: URL scheme must be http "
                                  "or https, not \"ftp\""));
  EXPECT_THAT(
      problems,
      HasSubstr("test.yaml:4:5: subscribers[0].colour: unknown key (known "
                "keys: argoNodes, caFile, concurrency, contentType, credentialsFile, events, "
                "fieldFiles, fields, format, from, headerFiles, headers, htmlTemplate, kfpUiUrl, "
                "level, name, namespaces, nkey, nkeySeedFile, parameter, passwordFile, path, "
                "pipelines, run, secret, secretFile, settings, starttls, stream, subject, "
                "template, templateFile, to, tokenFile, type, url, usernameFile, "
                "workflowSelector)"));
  EXPECT_THAT(problems, HasSubstr("test.yaml:5:5: subscribers[1]: missing required key `name`"));
  EXPECT_THAT(problems, HasSubstr("test.yaml:6:11: subscribers[2].name: duplicate name "
                                  "\"teams\" (first used on line 2)"));
  EXPECT_THAT(problems, HasSubstr("test.yaml:10:13: subscribers[3].format: unknown format "
                                  "\"xml\" (known: kfp, kfp-extended, cloudevents, "
                                  "cloudevents-binary, slack, teams, pagerduty)"));
  EXPECT_THAT(problems, HasSubstr("test.yaml:11:13: subscribers[3].events: must be a list"));
  EXPECT_THAT(problems, HasSubstr("test.yaml:12:11: subscribers[3].type: must be webhook, "
                                  "stdout, azure-devops, email, nats, kfp-run, plugin or a type this "
                                  "program registered, not \"pager\""));
}

// Formats people read default to one message per finished run; a level given stays; the
// top-level kfpUiUrl serves every subscriber without its own.
TEST(ParseConfigTest, ChatFormatsDefaultToRunsAndShareTheKfpUi) {
  Result<Config> config = ParseConfig("kfpUiUrl: https://kubeflow.example.com/pipeline\n"
                                      "subscribers:\n"
                                      "  - {name: slack, url: 'http://x/a', format: slack}\n"
                                      "  - {name: every, url: 'http://x/b', format: teams, level: all}\n"
                                      "  - {name: hook, url: 'http://x/c', kfpUiUrl: 'https://other/'}\n",
                                      "test.yaml");
  ASSERT_TRUE(config) << config.error().ToString();
  EXPECT_EQ(config->subscribers[0].level, EventLevel::kRun);
  EXPECT_EQ(config->subscribers[0].kfp_ui_url, "https://kubeflow.example.com/pipeline");
  EXPECT_EQ(config->subscribers[1].level, EventLevel::kAll);
  EXPECT_EQ(config->subscribers[2].level, EventLevel::kAll);
  EXPECT_EQ(config->subscribers[2].kfp_ui_url, "https://other/");
  EXPECT_THAT(Problems("kfpUiUrl: ftp://x\nsubscribers: []\n"),
              HasSubstr("test.yaml:1:11: kfpUiUrl: URL scheme must be http or https"));
}

TEST(ParseConfigTest, WrongTypesAndShapesAreNamed) {
  EXPECT_THAT(Problems("- a\n- b\n"), HasSubstr("test.yaml:1:1: the configuration must be a "
                                                "mapping"));
  EXPECT_THAT(Problems("subscribers: {name: a}\n"),
              HasSubstr("subscribers: must be a list of subscribers"));
  EXPECT_THAT(Problems("subscribers:\n  - just-a-string\n"),
              HasSubstr("test.yaml:2:5: subscribers[0]: must be a mapping"));
  EXPECT_THAT(Problems("subscribers:\n  - name: [a]\n    url: http://x/\n"),
              HasSubstr("subscribers[0].name: must be a string"));
  EXPECT_THAT(Problems("subscribers:\n  - name: a\n"),
              HasSubstr("subscribers[0]: missing required key `url`"));
  EXPECT_THAT(Problems("subscribers:\n  - name: a\n    type: stdout\n    url: http://x/\n"),
              HasSubstr("subscribers[0].url: not used by type stdout"));
  EXPECT_THAT(Problems("subscribers: []\nsubscriber: []\n"),
              HasSubstr("test.yaml:2:1: subscriber: unknown key"));
}

TEST(ParseConfigTest, BadHeadersAreNamedWithoutEchoingTheirValues) {
  const std::string problems = Problems(R"(subscribers:
  - name: a
    url: http://127.0.0.1/x
    headers:
      "Bad Name": v
      Authorization: [not, a, string]
      X-Twice: one
      x-twice: two
)");
  EXPECT_THAT(problems, HasSubstr("subscribers[0].headers.Bad Name: is not a valid HTTP header"));
  EXPECT_THAT(problems, HasSubstr("subscribers[0].headers.Authorization: must be a string"));
  EXPECT_THAT(problems, HasSubstr("subscribers[0].headers.x-twice: header given twice"));
}

TEST(ParseConfigTest, InvalidYamlGivesItsPosition) {
  EXPECT_THAT(Problems("subscribers:\n  - name: a\n   url: [unclosed\n"),
              HasSubstr("test.yaml:3:"));
  EXPECT_THAT(Problems("subscribers: [\n"), HasSubstr("invalid YAML"));
}

TEST(ParseConfigTest, ProblemsNeverRepeatASecretUrl) {
  EXPECT_THAT(Problems("subscribers:\n  - name: a\n    url: gopher://x/SECRET-TOKEN\n"),
              Not(HasSubstr("SECRET-TOKEN")));
}

TEST(LoadConfigFileTest, ReadsAFileAndNamesAMissingOne) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("c.yaml", "subscribers:\n  - {name: a, url: 'http://127.0.0.1/x'}\n");
  ASSERT_TRUE(LoadConfigFile(path));
  Result<Config> missing = LoadConfigFile((dir.path() / "nope.yaml").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace kfpevents
