// The real kfp-eventd binary, replaying the example run into loopback webhook sinks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <set>
#include <sstream>

#include "support/loopback_http_server.hpp"
#include "support/node_status.hpp"
#include "support/process.hpp"
#include "support/smtp_server.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_verifier.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using ::testing::Not;
using testing::ReadLines;
using testing::RecordedRequest;
using testing::RunProcess;
using testing::ScriptedResponse;

const std::string kBinary = KFP_EVENTD_BINARY;
const std::string kExampleEvents = std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-runs.jsonl";

std::vector<std::string> ExpectedBodies() {
  return ReadLines(std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/kfp-runs.expected.jsonl");
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ReplayE2eTest, DeliversEveryExampleMessageToAWebhookAndStdout) {
  LoopbackHttpServer sink;
  const auto result = RunProcess(
      {kBinary, "replay", kExampleEvents, "--stdout", "--subscriber", sink.Url("/kfp-events")});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const std::vector<std::string> expected = ExpectedBodies();
  ASSERT_EQ(expected.size(), 18u);
  // The DESIGN.md example, byte for byte, is among them.
  EXPECT_THAT(
      expected,
      ::testing::Contains(
          R"({"KfpRunId":"ee1c3f1f-031b-49e9-a7ff-2f7a54c11b95","WorkflowName":"tacos-vs-burritos-vw8g9","NodeName":"dataprocessing","EventType":"WorkflowNodeSucceeded","Message":"Succeeded node tacos-vs-burritos-vw8g9.dataprocessing"})"));
  EXPECT_EQ(SplitLines(result.out), expected);

  const std::vector<RecordedRequest> requests = sink.Requests();
  ASSERT_EQ(requests.size(), expected.size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].method, "POST");
    EXPECT_EQ(requests[i].path, "/kfp-events");
    EXPECT_EQ(requests[i].body, expected[i]) << "message " << i;
    EXPECT_EQ(requests[i].Header("Content-Type"), "application/json");
    ids.insert(requests[i].Header("webhook-id"));
  }
  EXPECT_EQ(ids.size(), expected.size()) << "every transition has its own id";
  EXPECT_THAT(result.err, HasSubstr("replayed 18 events"));
  EXPECT_THAT(result.err, HasSubstr("subscriber subscriber-1: 18 delivered"));
}

// The recording gives the same notifications whatever the date (CI runs the suite a year ahead
// too): the same ids, times and payloads, as recorded in kfp-runs.extended.expected.jsonl.
TEST(ReplayE2eTest, TheShippedRecordingGivesTheSameNotificationsOnAnyDate) {
  LoopbackHttpServer sink;
  const auto result = RunProcess({kBinary, "replay", kExampleEvents, "--format", "kfp-extended",
                                  "--stdout", "--subscriber", sink.Url()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> expected = ReadLines(std::string(KFPEVENTS_SOURCE_TESTS_DIR) +
                                                      "/e2e/data/kfp-runs.extended.expected.jsonl");
  ASSERT_EQ(expected.size(), 18u);
  EXPECT_EQ(SplitLines(result.out), expected);
  const std::vector<RecordedRequest> requests = sink.Requests();
  ASSERT_EQ(requests.size(), expected.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].body, expected[i]) << "message " << i;
    EXPECT_THAT(expected[i],
                HasSubstr("\"MessageId\":\"" + requests[i].Header("webhook-id") + "\""));
  }
}

// A KFP 2.x recording replays to exactly its tasks' transitions: no driver, root, executor,
// retry wrapper or loop scaffolding, iterations told apart, a failed task with its executor's
// reason, and the Events Kubernetes combined read as their nodes' own.
TEST(ReplayE2eTest, AKfpV2RecordingReplaysToItsTasksTransitions) {
  const std::string recording = std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl";
  const auto result = RunProcess({kBinary, "replay", recording, "--stdout"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(SplitLines(result.out), ReadLines(std::string(KFPEVENTS_SOURCE_TESTS_DIR) +
                                              "/e2e/data/kfp-v2-runs.expected.jsonl"));
  EXPECT_THAT(result.err, HasSubstr("replayed 74 events"));
  EXPECT_THAT(result.err, HasSubstr("16 delivered, 58 filtered out"));

  const std::string data = std::string(KFPEVENTS_SOURCE_TESTS_DIR) + "/e2e/data/";
  const auto twenty =
      RunProcess({kBinary, "replay", data + "kfp-v2-twenty-tasks.jsonl", "--stdout"});
  ASSERT_EQ(twenty.exit_code, 0) << twenty.err;
  EXPECT_EQ(SplitLines(twenty.out), ReadLines(data + "kfp-v2-twenty-tasks.expected.jsonl"));
  EXPECT_THAT(twenty.err, HasSubstr("42 delivered, 86 filtered out"));
}

// Past Argo's size limit the controller compresses status.nodes. The compressed churn run gives
// exactly what its plain nodes gave; the sweep run's are a gzip bomb, refused with one warning,
// and its notifications still arrive, named from the Events alone.
TEST(ReplayE2eTest, CompressedNodesAreReadAndABombIsRefusedWithoutLosingANotification) {
  const std::vector<std::string> recorded =
      ReadLines(std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl");
  std::string recording;
  for (const std::string& line : recorded) {
    if (line.rfind(R"({"kind":"Workflow")", 0) != 0) {  // an Event or a comment
      recording += line + "\n";
    } else if (line.find("churn-pipeline") != std::string::npos) {
      recording += testing::WithCompressedNodes(line) + "\n";
    } else {
      const std::string nodes = R"("nodes":)";
      const std::string bomb =
          testing::CompressNodes("{" + std::string(100 * 1024 * 1024, ' ') + "}");
      recording += line.substr(0, line.rfind(nodes)) + R"("compressedNodes":")" + bomb + "\"}}\n";
    }
  }
  testing::TempDir dir;
  const auto result =
      RunProcess({kBinary, "replay", dir.Write("compressed.jsonl", recording), "--stdout"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(SplitLines(result.out), ReadLines(std::string(KFPEVENTS_SOURCE_TESTS_DIR) +
                                              "/e2e/data/kfp-v2-runs.expected.jsonl"));
  const std::string warning =
      "workflow kubeflow/sweep-pipeline-m4k7p: its status.compressedNodes cannot be read: "
      "inflates past 67108864 bytes; refused; its nodes are notified from their Events alone";
  EXPECT_THAT(result.err, HasSubstr(warning));
  EXPECT_EQ(result.err.find(warning), result.err.rfind(warning)) << "warned more than once";
  EXPECT_THAT(result.err, Not(HasSubstr("churn-pipeline-q8x2z: its")));
}

TEST(ReplayE2eTest, ArgoNodesTrueShowsEveryArgoNodeOfAKfpV2Run) {
  testing::TempDir dir;
  const std::string config = dir.Write("kfp-eventd.yaml",
                                       "subscribers:\n"
                                       "  - name: everything\n"
                                       "    type: stdout\n"
                                       "    argoNodes: true\n");
  const auto result = RunProcess({kBinary, "replay",
                                  std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl",
                                  "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("subscriber everything: 74 delivered"));
  EXPECT_THAT(result.out, HasSubstr(R"("NodeName":"train-driver")"));
  EXPECT_THAT(result.out, HasSubstr(R"x("NodeName":"executor(1)")x"));
}

TEST(ReplayE2eTest, KfpExtendedCarriesAKfpV2RunsTypedParametersAndNames) {
  const auto result = RunProcess({kBinary, "replay",
                                  std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl",
                                  "--stdout", "--format", "kfp-extended"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = SplitLines(result.out);
  ASSERT_EQ(lines.size(), 16u);
  rapidjson::Document failed;
  failed.Parse(lines[6].c_str());
  ASSERT_FALSE(failed.HasParseError()) << lines[6];
  EXPECT_STREQ(failed["NodeName"].GetString(), "train");
  EXPECT_STREQ(failed["EventType"].GetString(), "WorkflowNodeFailed");
  EXPECT_STREQ(failed["Message"].GetString(),
               "Failed node churn-pipeline-q8x2z.root.train: Error (exit code 1)");
  EXPECT_STREQ(failed["PipelineName"].GetString(), "churn-pipeline");
  EXPECT_STREQ(failed["RunName"].GetString(), "churn weekly");
  const rapidjson::Value& parameters = failed["Parameters"];
  EXPECT_EQ(parameters.MemberCount(), 4u);  // no components-… or implementations-… blobs
  EXPECT_STREQ(parameters["dataset"].GetString(), "gs://churn/2026-11.csv");
  EXPECT_EQ(parameters["epochs"].GetInt(), 10);
  EXPECT_DOUBLE_EQ(parameters["learning_rate"].GetDouble(), 0.05);
  EXPECT_FALSE(parameters["use_gpu"].GetBool());
}

TEST(ReplayE2eTest, RerunsSendTheSameIds) {
  LoopbackHttpServer first;
  LoopbackHttpServer second;
  ASSERT_EQ(RunProcess({kBinary, "replay", kExampleEvents, "--subscriber", first.Url()}).exit_code,
            0);
  ASSERT_EQ(RunProcess({kBinary, "replay", kExampleEvents, "--subscriber", second.Url()}).exit_code,
            0);
  const auto a = first.Requests();
  const auto b = second.Requests();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].Header("webhook-id"), b[i].Header("webhook-id"));
  }
}

TEST(ReplayE2eTest, AFailingSubscriberIsReportedAndNeverStopsTheOthers) {
  LoopbackHttpServer good;
  LoopbackHttpServer failing(
      // Retry-After: 0 keeps the retry immediate, and shows the binary honours the header.
      [](std::size_t, const RecordedRequest&) {
        return ScriptedResponse{503, {{"Retry-After", "0"}}, "db down"};
      });
  const auto result = RunProcess({kBinary, "replay", kExampleEvents, "--retries", "1",
                                  "--subscriber", good.Url(), "--subscriber", failing.Url()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(good.Requests().size(), 18u);
  EXPECT_EQ(failing.Requests().size(), 36u);  // every message tried twice
  EXPECT_THAT(result.err, HasSubstr("subscriber subscriber-1: 18 delivered\n"));
  EXPECT_THAT(result.err, HasSubstr("subscriber subscriber-2: 0 delivered, 18 retries, 18 NOT "
                                    "delivered (last error: HTTP 503: db down)"));
}

// Replays the example runs with a config file holding `subscribers_yaml` under `subscribers:`.
testing::ProcessResult ReplayWithConfig(const testing::TempDir& dir,
                                        const std::string& subscribers_yaml) {
  const std::string config = dir.Write("kfp-eventd.yaml", "subscribers:\n" + subscribers_yaml);
  return RunProcess({kBinary, "replay", kExampleEvents, "--config", config});
}

TEST(ReplayE2eTest, AConfigFileSelectsFormatsFiltersAndHeaders) {
  LoopbackHttpServer sink;
  testing::TempDir dir;
  const auto result = ReplayWithConfig(dir,
                                       "  - name: finished\n"
                                       "    url: " +
                                           sink.Url("/done") +
                                           "\n"
                                           "    events: [WorkflowSucceeded, WorkflowFailed]\n"
                                           "    headers: {X-Api-Key: k1}\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto requests = sink.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[0].body, HasSubstr(R"("EventType":"WorkflowSucceeded")"));
  EXPECT_THAT(requests[1].body, HasSubstr(R"("EventType":"WorkflowFailed")"));
  EXPECT_EQ(requests[0].Header("X-Api-Key"), "k1");
  EXPECT_THAT(result.err, HasSubstr("subscriber finished: 2 delivered, 16 filtered out"));
}

TEST(ReplayE2eTest, FiltersByLevelNamespaceAndWorkflowLabels) {
  LoopbackHttpServer sink;
  testing::TempDir dir;
  const auto result = ReplayWithConfig(
      dir,
      "  - name: fraud-runs\n"
      "    url: " +
          sink.Url("/runs") +
          "\n"
          "    level: workflow\n"
          "    namespaces: [kubeflow]\n"
          "    workflowSelector: pipeline/runid=3f9a8c21-6d4e-4b7a-9e15-2c8d7f0a1b34\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto requests = sink.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(
      requests[0].body,
      HasSubstr(
          R"("WorkflowName":"fraud-detector-x7k2p","NodeName":"","EventType":"WorkflowRunning")"));
  EXPECT_THAT(requests[1].body, HasSubstr(R"("EventType":"WorkflowFailed")"));
  EXPECT_THAT(result.err, HasSubstr("subscriber fraud-runs: 2 delivered, 16 filtered out"));
}

TEST(ReplayE2eTest, CloudEventsSubscribersGetSignedEventsInBothModes) {
  LoopbackHttpServer structured;
  LoopbackHttpServer binary;
  testing::TempDir dir;
  // base64 of "a secret key of 24 bytes", as a mounted Kubernetes Secret would hold it.
  const std::string secret = dir.Write("secret", "whsec_YSBzZWNyZXQga2V5IG9mIDI0IGJ5dGVz\n");
  const auto result = ReplayWithConfig(dir,
                                       "  - name: structured\n"
                                       "    url: " +
                                           structured.Url("/ce") +
                                           "\n"
                                           "    format: cloudevents\n"
                                           "    events: [WorkflowFailed]\n"
                                           "    secretFile: " +
                                           secret +
                                           "\n"
                                           "  - name: binary\n"
                                           "    url: " +
                                           binary.Url("/ce") +
                                           "\n"
                                           "    format: cloudevents-binary\n"
                                           "    events: [WorkflowFailed]\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;

  ASSERT_EQ(structured.Requests().size(), 1u);
  const RecordedRequest event = structured.Requests()[0];
  EXPECT_EQ(event.Header("Content-Type"), "application/cloudevents+json");
  EXPECT_THAT(event.body, HasSubstr(R"("type":"io.kubeflow.pipelines.WorkflowFailed")"));
  EXPECT_THAT(event.body, HasSubstr(R"("id":")" + event.Header("webhook-id") + "\""));
  EXPECT_THAT(event.body, HasSubstr(R"("PipelineName":"fraud-detector")"));
  EXPECT_EQ(event.Header("webhook-signature"),
            testing::ExpectedSignature("a secret key of 24 bytes", event.Header("webhook-id"),
                                       event.Header("webhook-timestamp"), event.body));

  ASSERT_EQ(binary.Requests().size(), 1u);
  const RecordedRequest data = binary.Requests()[0];
  EXPECT_EQ(data.Header("Content-Type"), "application/json");
  EXPECT_EQ(data.Header("ce-specversion"), "1.0");
  EXPECT_EQ(data.Header("ce-id"), data.Header("webhook-id"));
  EXPECT_EQ(data.Header("ce-source"),
            "/apis/argoproj.io/v1alpha1/namespaces/kubeflow/workflows/fraud-detector-x7k2p");
  EXPECT_EQ(data.Header("webhook-signature"), "");  // no secret configured
  EXPECT_THAT(data.body, HasSubstr(R"("KfpRunId":"3f9a8c21-6d4e-4b7a-9e15-2c8d7f0a1b34")"));
  EXPECT_THAT(result.err, Not(HasSubstr("whsec_")));
}

TEST(ReplayE2eTest, MalformedLinesAreReportedAndTheRunGoesOn) {
  std::ifstream example(kExampleEvents);
  std::ostringstream input;
  input << "{\"type\":\"ADDED\",\"object\":{\"oops\"\n" << example.rdbuf();
  const auto result = RunProcess({kBinary, "replay", "-", "--stdout"}, input.str());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(SplitLines(result.out), ExpectedBodies());
  EXPECT_THAT(result.err, HasSubstr("-:1: skipped: invalid JSON"));
  EXPECT_THAT(result.err, HasSubstr("1 malformed lines skipped"));
}

TEST(ReplayE2eTest, UsageErrorsExitWithTwoAndSayWhatIsWrong) {
  const auto no_subscribers = RunProcess({kBinary, "replay", kExampleEvents});
  EXPECT_EQ(no_subscribers.exit_code, 2);
  EXPECT_THAT(no_subscribers.err, HasSubstr("no subscribers: give --stdout"));

  const auto bad_url = RunProcess({kBinary, "replay", kExampleEvents, "--subscriber", "ftp://x/y"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_THAT(bad_url.err, HasSubstr("--subscriber #1: URL scheme must be http or https"));

  const auto missing = RunProcess({kBinary, "replay", "/nonexistent.jsonl", "--stdout"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("cannot open replay file /nonexistent.jsonl"));

  EXPECT_EQ(RunProcess({kBinary, "replay"}).exit_code, 2);
  EXPECT_EQ(RunProcess({kBinary, "no-such-command"}).exit_code, 2);
}

TEST(CliE2eTest, HelpTeachesAndVersionAnswers) {
  const auto help = RunProcess({kBinary, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("replay"));
  EXPECT_THAT(help.out, HasSubstr("Examples:"));
  const auto replay_help = RunProcess({kBinary, "replay", "--help"});
  EXPECT_THAT(replay_help.out, HasSubstr("kfp-eventd replay examples/events/kfp-runs.jsonl"));
  const auto version = RunProcess({kBinary, "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, ::testing::MatchesRegex("kfp-eventd [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST(ReplayE2eTest, JsonLogsAreOneObjectPerLineWithTimeLevelAndMessage) {
  LoopbackHttpServer failing([](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{503, {}, "db down"};
  });
  const auto result = RunProcess({kBinary, "replay", kExampleEvents, "--stdout", "--subscriber",
                                  failing.Url(), "--retries", "0", "--log-format", "json"});
  EXPECT_EQ(result.exit_code, 1);
  std::istringstream lines(result.err);
  std::string line;
  std::size_t count = 0;
  std::set<std::string> levels;
  bool saw_summary = false;
  while (std::getline(lines, line)) {
    ++count;
    rapidjson::Document document;
    document.Parse(line.c_str());
    ASSERT_FALSE(document.HasParseError()) << line;
    ASSERT_TRUE(document.IsObject() && document.HasMember("time") && document.HasMember("level") &&
                document.HasMember("msg"))
        << line;
    EXPECT_THAT(std::string(document["time"].GetString()),
                ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z"));
    levels.insert(document["level"].GetString());
    saw_summary |= std::string(document["msg"].GetString()) == "subscriber stdout: 18 delivered";
  }
  EXPECT_GT(count, 18u);  // one dead letter per message, then the summary
  EXPECT_THAT(levels, ::testing::Contains("error"));
  EXPECT_TRUE(saw_summary) << result.err;
}

// The issue's promise: three lines of config give one readable Slack message per finished run,
// naming the failed task, its reason and a link. Replayed from the KFP 2.x recording (two runs:
// one succeeds, one fails).
// The done criterion of readable messages: three lines for the subscriber (the KFP UI is named
// once for all), and Slack gets one message per finished run with the failed task, its reason
// and a link (chat formats default to `level: run`).
TEST(ReplayE2eTest, SlackInThreeLinesSendsOneReadableMessagePerFinishedRun) {
  LoopbackHttpServer slack;
  testing::TempDir dir;
  const std::string config = dir.Write("slack.yaml",
                                       "kfpUiUrl: https://kubeflow.example.com/pipeline\n"
                                       "subscribers:\n"
                                       "  - name: slack\n"
                                       "    url: " + slack.Url("/services/T0/B0/x") + "\n"
                                       "    format: slack\n");
  const auto result =
      RunProcess({kBinary, "replay", std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl",
                  "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<RecordedRequest> requests = slack.Requests();
  ASSERT_EQ(requests.size(), 2u);
  std::string failed;
  for (const RecordedRequest& request : requests) {
    rapidjson::Document body;
    body.Parse(request.body.c_str());
    ASSERT_FALSE(body.HasParseError()) << request.body;
    EXPECT_EQ(request.Header("Content-Type"), "application/json");
    if (std::string(body["text"].GetString()).rfind(":x:", 0) == 0) failed = request.body;
  }
  ASSERT_FALSE(failed.empty());
  EXPECT_THAT(failed, HasSubstr("*Failed:*\\n• *"));  // the failed task, then its reason
  EXPECT_THAT(failed, HasSubstr("https://kubeflow.example.com/pipeline/#/runs/details/"));
}

// type: email, one mail per finished run, delivered to an SMTP server on loopback.
TEST(ReplayE2eTest, EmailAtLevelRunSendsOneMailPerFinishedRun) {
  testing::SmtpServer smtp;
  testing::TempDir dir;
  const std::string config = dir.Write("mail.yaml",
                                       "subscribers:\n"
                                       "  - name: mail\n"
                                       "    type: email\n"
                                       "    url: " + smtp.Url() + "\n"
                                       "    starttls: false\n"
                                       "    from: kfp-eventd@example.com\n"
                                       "    to: [ml-team@example.com]\n");  // level run: email's default
  const auto validated = RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(validated.exit_code, 0) << validated.err;
  const auto result = RunProcess(
      {kBinary, "replay", std::string(KFPEVENTS_EXAMPLES_DIR) + "/events/kfp-v2-runs.jsonl",
       "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<testing::ReceivedMail> mails = smtp.Mails();
  ASSERT_EQ(mails.size(), 2u);
  std::set<std::string> subjects;
  for (const testing::ReceivedMail& mail : mails) {
    EXPECT_EQ(mail.to, std::vector<std::string>{"ml-team@example.com"});
    const std::size_t at = mail.data.find("Subject: ");
    subjects.insert(mail.data.substr(at + 9, mail.data.find("\r\n", at) - at - 9));
  }
  EXPECT_EQ(subjects, (std::set<std::string>{"[kfp] churn weekly Failed (churn-pipeline)",
                                             "[kfp] sweep-pipeline-m4k7p Succeeded (sweep-pipeline)"}));
}

TEST(ReplayE2eTest, AnEmailSubscriberNeedsItsSenderRecipientsAndAnSmtpUrl) {
  testing::TempDir dir;
  const std::string config = dir.Write("mail.yaml",
                                       "subscribers:\n"
                                       "  - name: mail\n"
                                       "    type: email\n"
                                       "    url: https://mail.example.com/\n");
  const auto result = RunProcess({kBinary, "validate", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("subscribers[0].url: must be smtp://host:port"));
  EXPECT_THAT(result.err, HasSubstr("missing required key `from`"));
  EXPECT_THAT(result.err, HasSubstr("missing required key `to`"));
}

}  // namespace
}  // namespace kfpevents
