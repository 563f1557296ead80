#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/kfp.hpp"

namespace kfpevents {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<std::pair<std::string, std::string>> kDeclared = {
    {"s", "STRING"},  {"i", "NUMBER_INTEGER"}, {"d", "NUMBER_DOUBLE"},
    {"b", "BOOLEAN"}, {"l", "LIST"},           {"o", "STRUCT"},
    {"old_i", "INT"}, {"old_d", "DOUBLE"},     {"future", "BYTES"}};

TEST(TypeKfpParametersTest, ConvertsEachValueToItsDeclaredType) {
  Result<KfpTypedParameters> typed = TypeKfpParameters({{"s", "3"},
                                                        {"i", " -42 "},
                                                        {"d", "1e3"},
                                                        {"b", "False"},
                                                        {"l", "[1, \"a\"]"},
                                                        {"o", "{\"k\": [true]}"},
                                                        {"old_i", "7"},
                                                        {"old_d", "0.25"},
                                                        {"future", "x"}},
                                                       kDeclared);
  ASSERT_TRUE(typed) << typed.error().ToString();
  EXPECT_THAT(*typed, ElementsAre(Parameter{"s", "3", ParameterType::kString},
                                  Parameter{"i", "-42", ParameterType::kNumber},
                                  Parameter{"d", "1000.0", ParameterType::kNumber},
                                  Parameter{"b", "false", ParameterType::kBool},
                                  Parameter{"l", "[1,\"a\"]", ParameterType::kList},
                                  Parameter{"o", "{\"k\":[true]}", ParameterType::kStruct},
                                  Parameter{"old_i", "7", ParameterType::kNumber},
                                  Parameter{"old_d", "0.25", ParameterType::kNumber},
                                  Parameter{"future", "x", ParameterType::kString}));
}

TEST(TypeKfpParametersTest, SaysWhichValueIsNotOfItsType) {
  for (const auto& [name, value, why] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"i", "3.0", "\"3.0\" is not an integer (the pipeline declares it NUMBER_INTEGER)"},
           {"i", "", "\"\" is not an integer"},
           {"i", "99999999999999999999", "is not an integer"},
           {"d", "fast", "\"fast\" is not a number"},
           {"d", "1e999", "is not a number"},
           {"b", "1", "\"1\" is not true or false"},
           {"l", "{}", "\"{}\" is not a JSON list"},
           {"o", "[1]", "\"[1]\" is not a JSON object"}}) {
    Result<KfpTypedParameters> typed = TypeKfpParameters({{name, value}}, kDeclared);
    ASSERT_FALSE(typed) << name << "=" << value;
    EXPECT_EQ(typed.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(typed.error().message(), HasSubstr("parameter " + name + ": "));
    EXPECT_THAT(typed.error().message(), HasSubstr(why));
  }
}

TEST(TypeKfpParametersTest, RefusesWhatThePipelineDoesNotDeclare) {
  Result<KfpTypedParameters> typed = TypeKfpParameters({{"epochs", "3"}}, {{"epoch", "STRING"}});
  ASSERT_FALSE(typed);
  EXPECT_THAT(typed.error().message(),
              HasSubstr("parameter epochs: the pipeline does not declare it, and KFP 2.x refuses "
                        "what it does not declare (it declares: epoch)"));
  EXPECT_THAT(TypeKfpParameters({{"x", "1"}}, {}).error().message(),
              HasSubstr("(it declares: nothing)"));
}

}  // namespace
}  // namespace kfpevents
