#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "kfpevents/health.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class HealthServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HealthServerOptions options;
    options.address = "127.0.0.1:0";
    options.metrics = metrics_;
    options.readiness = readiness_;
    Result<std::unique_ptr<HealthServer>> server = HealthServer::Start(options);
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = std::move(*server);
    const std::string address = server_->address();
    client_ = std::make_unique<httplib::Client>("127.0.0.1",
                                                std::stoi(address.substr(address.rfind(':') + 1)));
  }

  std::shared_ptr<MetricsRegistry> metrics_ = std::make_shared<MetricsRegistry>();
  std::shared_ptr<Readiness> readiness_ = std::make_shared<Readiness>();
  std::unique_ptr<HealthServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HealthServerTest, ServesLivenessReadinessAndMetrics) {
  EXPECT_THAT(server_->address(), StartsWith("127.0.0.1:"));
  const auto live = client_->Get("/healthz");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  EXPECT_EQ(live->body, "ok\n");

  readiness_->Fail("apiserver", "connection refused");
  readiness_->Pass("store", "open");
  auto ready = client_->Get("/readyz?verbose");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_EQ(ready->body,
            "[-]apiserver failed: connection refused\n[+]store open\nreadyz check failed\n");
  readiness_->Pass("apiserver");
  ready = client_->Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_THAT(ready->body, HasSubstr("readyz check passed"));

  metrics_->GetCounter("seen_total", "Seen.").Add(4);
  const auto scraped = client_->Get("/metrics");
  ASSERT_TRUE(scraped);
  EXPECT_EQ(scraped->get_header_value("Content-Type"), kPrometheusContentType);
  EXPECT_THAT(scraped->body, HasSubstr("\nseen_total 4\n"));
}

TEST_F(HealthServerTest, AnswersOtherPathsAndMethodsWithTheRightStatus) {
  const auto missing = client_->Get("/debug");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  const auto posted = client_->Post("/metrics", "x", "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 405);
  EXPECT_EQ(posted->get_header_value("Allow"), "GET, HEAD");
  const auto head = client_->Head("/healthz");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST(HealthServerStartTest, APortAloneListensOnEveryInterface) {
  HealthServerOptions options;
  options.address = ":0";
  Result<std::unique_ptr<HealthServer>> server = HealthServer::Start(options);
  ASSERT_TRUE(server) << server.error().ToString();
  const std::string address = (*server)->address();
  EXPECT_THAT(address, ::testing::AnyOf(StartsWith("[::]:"), StartsWith("0.0.0.0:")));
  httplib::Client client("127.0.0.1", std::stoi(address.substr(address.rfind(':') + 1)));
  const auto live = client.Get("/healthz");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
}

TEST(HealthServerStartTest, BadAndTakenAddressesAreErrors) {
  HealthServerOptions options;
  options.address = "9090";
  EXPECT_EQ(HealthServer::Start(options).error().code(), ErrorCode::kInvalidArgument);
  options.address = "127.0.0.1:http";
  EXPECT_EQ(HealthServer::Start(options).error().code(), ErrorCode::kInvalidArgument);
  options.address = "no.such.host.invalid:9090";
  EXPECT_EQ(HealthServer::Start(options).error().code(), ErrorCode::kInvalidArgument);
  options.address = "127.0.0.1:0";
  Result<std::unique_ptr<HealthServer>> first = HealthServer::Start(options);
  ASSERT_TRUE(first);
  options.address = (*first)->address();
  const auto taken = HealthServer::Start(options);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(taken.error().message(), HasSubstr("Address already in use"));
}

}  // namespace
}  // namespace kfpevents
