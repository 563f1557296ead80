#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "kfpevents/config.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

TEST(GatherSubscribersTest, CombinesConfigFolderUrlsAndStdout) {
  testing::TempDir dir;
  SubscriberSources sources;
  sources.config_file =
      dir.Write("c.yaml", "subscribers:\n  - {name: teams, url: 'http://127.0.0.1/t'}\n");
  sources.subscribers_dir = (dir.path() / "subs").string();
  dir.Write("subs/legacy", "http://127.0.0.1/legacy");
  sources.urls = {"http://127.0.0.1/a", "http://127.0.0.1/b"};
  sources.stdout_subscriber = true;
  Result<std::vector<SubscriberConfig>> all = GatherSubscribers(sources);
  ASSERT_TRUE(all) << all.error().message();
  std::vector<std::string> names;
  for (const SubscriberConfig& s : *all) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"teams", "legacy", "subscriber-1", "subscriber-2",
                                             "stdout"}));
}

TEST(GatherSubscribersTest, ReportsProblemsOfEverySourceAndNameClashes) {
  testing::TempDir dir;
  SubscriberSources sources;
  sources.config_file = dir.Write("c.yaml", "subscribers:\n  - {name: a}\n");
  sources.urls = {"not a url"};
  sources.format = "xml";
  sources.stdout_subscriber = true;
  Result<std::vector<SubscriberConfig>> all = GatherSubscribers(sources);
  ASSERT_FALSE(all);
  EXPECT_THAT(all.error().message(), HasSubstr("missing required key `url`"));
  EXPECT_THAT(all.error().message(), HasSubstr("--subscriber #1: "));
  EXPECT_THAT(all.error().message(), HasSubstr("unknown format \"xml\""));

  SubscriberSources clash;
  clash.config_file = dir.Write("d.yaml", "subscribers:\n  - {name: stdout, type: stdout}\n");
  clash.stdout_subscriber = true;
  EXPECT_THAT(GatherSubscribers(clash).error().message(),
              HasSubstr("subscriber name \"stdout\" is used twice"));
}

TEST(BuildSubscriptionsTest, BuildsSubscribersFormattersAndFilters) {
  SubscriberConfig webhook;
  webhook.name = "hook";
  webhook.url = "http://127.0.0.1:9/x";
  webhook.events = {"WorkflowFailed"};
  SubscriberConfig out;
  out.name = "out";
  out.type = SubscriberType::kStdout;
  std::ostringstream stream;
  Result<std::vector<Subscription>> built = BuildSubscriptions({webhook, out}, {&stream});
  ASSERT_TRUE(built) << built.error().message();
  ASSERT_EQ(built->size(), 2u);
  EXPECT_EQ((*built)[0].filter.reasons, (std::set<std::string>{"WorkflowFailed"}));
  EXPECT_EQ((*built)[0].formatter, (*built)[1].formatter);  // one formatter per format
  (void)(*built)[1].subscriber->Deliver({"id", "hello", "", {}}, {});
  EXPECT_EQ(stream.str(), "hello\n");
}

}  // namespace
}  // namespace kfpevents
