#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kfpevents/kube.hpp"
#include "support/fake_kube_api.hpp"
#include "support/loopback_http_server.hpp"

namespace kfpevents {
namespace {

using testing::FakeKubeApi;
using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

constexpr const char* kWorkflow =
    R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"name":"wf","namespace":"kubeflow",)"
    R"("uid":"uid-1","resourceVersion":"7","labels":{"pipeline/runid":"run-1"}},)"
    R"("spec":{"arguments":{"parameters":[{"name":"p","value":"v"}]}},)"
    R"("status":{"phase":"Running","nodes":{"wf-1":{"id":"wf-1","name":"wf.train","displayName":"train","phase":"Running"}}}})";

WorkflowRef Ref(const std::string& uid = "uid-1") {
  WorkflowRef ref;
  ref.namespace_name = "kubeflow";
  ref.name = "wf";
  ref.uid = uid;
  return ref;
}

std::unique_ptr<WorkflowResolver> ResolverFor(const std::string& server, bool argo_server = false,
                                              const std::string& token = "") {
  WorkflowResolverOptions options;
  options.connection.server = server;
  options.connection.token = token;
  options.argo_server = argo_server;
  Result<std::unique_ptr<WorkflowResolver>> resolver = MakeWorkflowResolver(options);
  EXPECT_TRUE(resolver);
  return std::move(*resolver);
}

TEST(HttpWorkflowResolverTest, SummarizesTheWorkflowFromTheKubernetesApi) {
  FakeKubeApi api;
  api.RequireToken("tok");
  api.SetWorkflow("kubeflow", "wf", kWorkflow);
  Result<SharedWorkflowInfo> resolved = ResolverFor(api.Url(), false, "tok")->Resolve(Ref(), {});
  ASSERT_TRUE(resolved) << resolved.error().ToString();
  const WorkflowInfo& info = **resolved;
  EXPECT_EQ(info.labels.at("pipeline/runid"), "run-1");
  ASSERT_EQ(info.nodes.size(), 1u);
  EXPECT_EQ(info.nodes[0].display_name, "train");
  EXPECT_EQ(api.Requests().at(0).path,
            "/apis/argoproj.io/v1alpha1/namespaces/kubeflow/workflows/wf");
}

TEST(HttpWorkflowResolverTest, AGoneOrReplacedWorkflowIsNotFound) {
  FakeKubeApi api;
  EXPECT_EQ(ResolverFor(api.Url())->Resolve(Ref(), {}).error().code(), ErrorCode::kNotFound);
  api.SetWorkflow("kubeflow", "wf", kWorkflow);
  const Status replaced = ResolverFor(api.Url())->Resolve(Ref("uid-old"), {}).error();
  EXPECT_EQ(replaced.code(), ErrorCode::kNotFound);
  EXPECT_THAT(replaced.message(), HasSubstr("was replaced"));
}

TEST(HttpWorkflowResolverTest, RetriesServerErrorsAndGivesUpOnRefusals) {
  LoopbackHttpServer flaky([](std::size_t index, const RecordedRequest&) {
    if (index < 2) return ScriptedResponse{503, {}, "busy"};
    return ScriptedResponse{200, {{"Content-Type", "application/json"}}, kWorkflow};
  });
  EXPECT_TRUE(ResolverFor(flaky.Url(""))->Resolve(Ref(), {}));
  EXPECT_EQ(flaky.Requests().size(), 3u);

  LoopbackHttpServer forbidden([](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{
        403, {}, R"({"kind":"Status","code":403,"message":"forbidden by RBAC"})"};
  });
  const Status refused = ResolverFor(forbidden.Url(""))->Resolve(Ref(), {}).error();
  EXPECT_EQ(refused.code(), ErrorCode::kPermanent);
  EXPECT_THAT(refused.message(), HasSubstr("forbidden by RBAC"));
  EXPECT_EQ(forbidden.Requests().size(), 1u);
}

TEST(HttpWorkflowResolverTest, AsksArgoServerWithItsTokenScheme) {
  LoopbackHttpServer argo([](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{200, {{"Content-Type", "application/json"}}, kWorkflow};
  });
  EXPECT_TRUE(ResolverFor(argo.Url(""), true, "Bearer argo-token")->Resolve(Ref(), {}));
  const RecordedRequest request = argo.Requests().at(0);
  EXPECT_EQ(request.path, "/api/v1/workflows/kubeflow/wf");
  EXPECT_EQ(request.Header("Authorization"), "Bearer argo-token");  // not "Bearer Bearer"
}

TEST(HttpWorkflowResolverTest, RefusesAnOversizedOrBrokenWorkflow) {
  LoopbackHttpServer server([](std::size_t index, const RecordedRequest&) {
    return ScriptedResponse{200, {}, index == 0 ? std::string(2000, ' ') + "{}" : "{not json"};
  });
  WorkflowResolverOptions options;
  options.connection.server = server.Url("");
  options.max_body_bytes = 1000;
  auto resolver = std::move(*MakeWorkflowResolver(options));
  EXPECT_THAT(resolver->Resolve(Ref(), {}).error().message(), HasSubstr("larger than 1000"));
  EXPECT_THAT(resolver->Resolve(Ref(), {}).error().message(), HasSubstr("invalid JSON"));
}

}  // namespace
}  // namespace kfpevents
