#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;

const KfpParameters kExpected = {{"n1", "v1"}, {"n2", "v2"}};

TEST(KfpParametersTest, ReadsTheListFormWithOrWithoutBrackets) {
  EXPECT_EQ(*ParseKfpParameters(R"({"name":"n1","value":"v1"},{"name":"n2","value":"v2"})"),
            kExpected);
  EXPECT_EQ(*ParseKfpParameters(R"( [{"name":"n1","value":"v1"}, {"name":"n2","value":"v2"}] )"),
            kExpected);
  EXPECT_EQ(*ParseKfpParameters(R"({"name":"n1","value":"v1"})"), (KfpParameters{{"n1", "v1"}}));
}

TEST(KfpParametersTest, ReadsAPlainObjectKeepingNonStringsAsJson) {
  EXPECT_EQ(*ParseKfpParameters(R"({"n1":"v1","n2":"v2"})"), kExpected);
  EXPECT_EQ(*ParseKfpParameters(R"({"epochs":3,"flags":{"a":true},"none":null})"),
            (KfpParameters{{"epochs", "3"}, {"flags", R"({"a":true})"}, {"none", "null"}}));
  EXPECT_TRUE(ParseKfpParameters("")->empty());
}

TEST(KfpParametersTest, SaysWhatIsWrong) {
  EXPECT_THAT(ParseKfpParameters("epochs=3").error().message(), HasSubstr("not JSON"));
  EXPECT_THAT(ParseKfpParameters(R"([{"value":"v"}])").error().message(),
              HasSubstr("parameters[0]: needs a \"name\" string"));
  EXPECT_THAT(ParseKfpParameters("7").error().message(),
              HasSubstr("must be a list of {name, value} or an object"));
}

}  // namespace
}  // namespace kfpevents
