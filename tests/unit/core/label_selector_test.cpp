#include "kfpevents/label_selector.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

bool Matches(const std::string& selector, const std::map<std::string, std::string>& labels) {
  Result<LabelSelector> parsed = LabelSelector::Parse(selector);
  EXPECT_TRUE(parsed) << selector << ": " << parsed.error().message();
  return parsed && parsed->Matches(labels);
}

const std::map<std::string, std::string> kLabels = {
    {"team", "ml"}, {"env", "prod"}, {"pipeline/runid", "r1"}};

TEST(LabelSelectorTest, EqualityRequirements) {
  EXPECT_TRUE(Matches("", kLabels));
  EXPECT_TRUE(Matches("team=ml", kLabels));
  EXPECT_TRUE(Matches("team==ml", kLabels));
  EXPECT_FALSE(Matches("team=data", kLabels));
  EXPECT_TRUE(Matches("team!=data", kLabels));
  EXPECT_TRUE(Matches("owner!=bob", kLabels));  // absent keys satisfy !=
  EXPECT_TRUE(Matches(" team = ml , env = prod ", kLabels));
  EXPECT_FALSE(Matches("team=ml,env=dev", kLabels));
}

TEST(LabelSelectorTest, ExistenceAndSetRequirements) {
  EXPECT_TRUE(Matches("pipeline/runid", kLabels));
  EXPECT_FALSE(Matches("!pipeline/runid", kLabels));
  EXPECT_TRUE(Matches("!legacy", kLabels));
  EXPECT_TRUE(Matches("env in (staging, prod)", kLabels));
  EXPECT_FALSE(Matches("env notin (staging,prod)", kLabels));
  EXPECT_TRUE(Matches("owner notin (bob)", kLabels));
  EXPECT_FALSE(Matches("owner in (bob)", kLabels));
  EXPECT_TRUE(Matches("env in (prod),team", kLabels));
}

TEST(LabelSelectorTest, RejectsWhatKubernetesRejects) {
  EXPECT_THAT(LabelSelector::Parse("team=ml,,env=prod").error().message(),
              HasSubstr("empty requirement"));
  EXPECT_THAT(LabelSelector::Parse("env within (a)").error().message(),
              HasSubstr("expected `in` or `notin`"));
  EXPECT_THAT(LabelSelector::Parse("team=m l").error().message(),
              HasSubstr("\"m l\" is not a valid label value"));
  EXPECT_THAT(LabelSelector::Parse("=ml").error().message(), HasSubstr("not a valid label key"));
  EXPECT_FALSE(LabelSelector::Parse("env in (a"));
}

}  // namespace
}  // namespace kfpevents
