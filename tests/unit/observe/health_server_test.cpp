#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

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
    Result<std::unique_ptr<HealthServer>> server = StartHealthServer(options);
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

// A connection to 127.0.0.1:`port`; -1 when refused.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The kubelet probes with a 1 s timeout. An idle connection and five clients trickling their
// headers a byte at a time (slower than any deadline would let a request finish) must not make
// one probe miss it.
TEST_F(HealthServerTest, SlowAndIdleClientsDoNotStarveTheProbes) {
  const std::string address = server_->address();
  const int port = std::stoi(address.substr(address.rfind(':') + 1));
  std::vector<int> idle;
  idle.push_back(Connect(port));
  std::atomic<bool> stop{false};
  std::vector<std::thread> tricklers;
  for (int i = 0; i < 5; ++i) {
    tricklers.emplace_back([port, &stop] {
      const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      while (!stop) {
        const int fd = Connect(port);
        for (std::size_t at = 0; at < 1000 && !stop; ++at) {
          const char byte = at < request.size() ? request[at] : 'a';
          if (::send(fd, &byte, 1, MSG_NOSIGNAL) != 1) break;  // dropped by the server
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        ::close(fd);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  httplib::Client probe("127.0.0.1", port);
  probe.set_connection_timeout(std::chrono::seconds(1));
  probe.set_read_timeout(std::chrono::seconds(1));
  int answered = 0;
  for (int i = 0; i < 12; ++i) {
    const auto live = probe.Get(i % 2 == 0 ? "/healthz" : "/readyz");  // or a 1 s timeout
    answered += live && live->status == 200;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  for (std::thread& trickler : tricklers) trickler.join();
  for (const int fd : idle) ::close(fd);
  EXPECT_EQ(answered, 12);
}

TEST(HealthServerStartTest, APortAloneListensOnEveryInterface) {
  HealthServerOptions options;
  options.address = ":0";
  Result<std::unique_ptr<HealthServer>> server = StartHealthServer(options);
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
  EXPECT_EQ(StartHealthServer(options).error().code(), ErrorCode::kInvalidArgument);
  options.address = "127.0.0.1:http";
  EXPECT_EQ(StartHealthServer(options).error().code(), ErrorCode::kInvalidArgument);
  options.address = "no.such.host.invalid:9090";
  EXPECT_EQ(StartHealthServer(options).error().code(), ErrorCode::kInvalidArgument);
  options.address = "127.0.0.1:0";
  Result<std::unique_ptr<HealthServer>> first = StartHealthServer(options);
  ASSERT_TRUE(first);
  options.address = (*first)->address();
  const auto taken = StartHealthServer(options);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(taken.error().message(), HasSubstr("Address already in use"));
}

}  // namespace
}  // namespace kfpevents
