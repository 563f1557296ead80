// The CI steps of kfp_steps.hpp on a real client against the fake KFP API: the order that keeps
// bad input from creating anything, and what each step resolves.
#include "kfpevents/kfp_steps.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/fake_kfp_api.hpp"

namespace kfpevents {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::FakeKfpApi;

class KfpStepsTest : public ::testing::Test {
 protected:
  std::unique_ptr<KfpClient> Client(const std::string& ns = "") {
    KfpClientOptions options;
    options.api = KfpApiVersion::kDetect;
    options.endpoint = api_.Url();
    options.namespace_name = ns;
    options.attempts = 1;
    Result<std::unique_ptr<KfpClient>> client = MakeKfpClient(options);
    EXPECT_TRUE(client) << client.error().ToString();
    return client ? std::move(*client) : nullptr;
  }

  FakeKfpApi api_;
};

TEST_F(KfpStepsTest, AValueNotOfItsTypeCreatesNeitherExperimentNorRun) {
  api_.SpeakKfp2();
  api_.DeclareParameters({{"epochs", "NUMBER_INTEGER"}});
  api_.AddPipeline("churn");
  KfpRunRequest request;
  request.name = "nightly";
  request.version.pipeline_name = "churn";
  request.experiment_name = "ci";
  request.parameters = {{"epochs", "three"}};
  Result<KfpStartedRun> started = StartKfpRun(*Client(), request);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(started.error().message(), HasSubstr("epochs"));
  EXPECT_TRUE(api_.Experiments().empty());
  EXPECT_TRUE(api_.Runs().empty());
}

TEST_F(KfpStepsTest, StartsARunInTheExperimentItEnsures) {
  api_.SpeakKfp2();
  api_.DeclareParameters({{"epochs", "NUMBER_INTEGER"}, {"fast", "BOOLEAN"}});
  api_.AddPipeline("churn");
  KfpRunRequest request;
  request.name = "nightly";
  request.version.pipeline_name = "churn";
  request.experiment_name = "ci";
  request.parameters = {{"epochs", "3"}, {"fast", "true"}};
  Result<KfpStartedRun> started = StartKfpRun(*Client("team-a"), request);
  ASSERT_TRUE(started) << started.error().ToString();
  EXPECT_EQ(started->ids.pipeline_id, "p-1");
  EXPECT_FALSE(started->run.id.empty());
  EXPECT_EQ(started->run.adopted, "");
  EXPECT_THAT(api_.Experiments(), ElementsAre("ci@team-a"));
  EXPECT_THAT(api_.Runs(), ElementsAre("nightly@" + started->experiment.id));
}

TEST_F(KfpStepsTest, ResolvingSaysWhatItCouldNotFind) {
  api_.AddPipeline("churn");
  const std::unique_ptr<KfpClient> client = Client();
  Result<KfpVersionIds> nothing = ResolveKfpVersion(*client, {});
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code(), ErrorCode::kInvalidArgument);
  Result<KfpVersionIds> no_pipeline = ResolveKfpVersion(*client, {"", "nope", "", ""});
  ASSERT_FALSE(no_pipeline);
  EXPECT_EQ(no_pipeline.error().message(), "no pipeline named \"nope\"");
  Result<KfpVersionIds> by_version = ResolveKfpVersion(*client, {"", "", "p-1", ""});
  ASSERT_TRUE(by_version) << by_version.error().ToString();
  EXPECT_EQ(by_version->pipeline_id, "p-1");
}

TEST_F(KfpStepsTest, ANewPipelineRefusesATakenName) {
  api_.AddPipeline("churn");
  Result<KfpPipeline> pipeline = UploadNewKfpPipeline(*Client(), "/nonexistent.yaml", "churn", "");
  ASSERT_FALSE(pipeline);
  EXPECT_EQ(pipeline.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(pipeline.error().message(), HasSubstr("exists (id p-1)"));
}

}  // namespace
}  // namespace kfpevents
