#include "http/client.hpp"

#include <gtest/gtest.h>

#include "support/loopback_http_server.hpp"
#include "support/silent_tcp_listener.hpp"

namespace kfpevents::http {
namespace {

using testing::LoopbackHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

TEST(HttpClientTest, SendsTheMethodHeadersAndBodyAndKeepsTheConnection) {
  LoopbackHttpServer server([](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{409, {}, "{\"message\":\"exists\"}"};
  });
  Client client{EasySettings{}};
  const std::string body = "{\"a\":1}";
  Request request;
  request.method = "PUT";
  request.url = server.Url("/things/1");
  request.headers = {{"Content-Type", "application/json"}, {"X-Empty", ""}};
  request.body = &body;
  Result<Response> first = client.Perform(request, {});
  ASSERT_TRUE(first.has_value()) << first.error().ToString();
  EXPECT_EQ(first->status, 409);  // an HTTP error is an answer
  EXPECT_EQ(first->body, "{\"message\":\"exists\"}");
  Request get;
  get.url = server.Url("/things/1");
  ASSERT_TRUE(client.Perform(get, {}).has_value());

  const std::vector<RecordedRequest> seen = server.Requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].body, body);
  EXPECT_EQ(seen[0].Header("Content-Type"), "application/json");
  EXPECT_EQ(seen[0].Header("Expect"), "");
  EXPECT_EQ(seen[1].method, "GET");  // the handle forgot the PUT
  EXPECT_TRUE(seen[1].body.empty());
  EXPECT_EQ(seen[0].remote_port, seen[1].remote_port);  // one kept-alive connection
}

TEST(HttpClientTest, AnAnswerLongerThanItsCapIsAnError) {
  LoopbackHttpServer server([](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{200, {}, std::string(4096, 'x')};
  });
  Client client{EasySettings{}};
  Request request;
  request.url = server.Url("/big");
  request.max_answer = 1000;
  Result<Response> answer = client.Perform(request, {});
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(answer.error().message(), "response larger than 1000 bytes");
}

TEST(HttpClientTest, AStreamCanEndEarlyWithoutAnError) {
  LoopbackHttpServer server([](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{200, {}, std::string(100000, 'x')};
  });
  Client client{EasySettings{}};
  std::size_t seen = 0;
  bool opened = false;
  const std::function<bool(std::string_view)> on_data = [&](std::string_view chunk) {
    seen += chunk.size();
    return false;
  };
  const std::function<void()> on_open = [&] { opened = true; };
  Request request;
  request.url = server.Url("/stream");
  request.on_data = &on_data;
  request.on_open = &on_open;
  Result<Response> answer = client.Perform(request, {});
  ASSERT_TRUE(answer.has_value()) << answer.error().ToString();
  EXPECT_EQ(answer->status, 200);
  EXPECT_TRUE(answer->body.empty());  // streamed, not kept
  EXPECT_TRUE(opened);
  EXPECT_GT(seen, 0u);
  EXPECT_LT(seen, 100000u);
}

TEST(HttpClientTest, SaysWhetherARequestCannotHaveBeenSent) {
  Client client{EasySettings{}};
  Request request;
  request.url = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort()) + "/refused";
  FailureDetail failure;
  Result<Response> refused = client.Perform(request, {}, &failure);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(failure.never_sent);

  testing::SilentTcpListener silent;  // accepts, never answers
  request.url = "http://127.0.0.1:" + std::to_string(silent.port()) + "/quiet";
  request.timeout = std::chrono::milliseconds(300);
  Result<Response> timed_out = client.Perform(request, {}, &failure);
  ASSERT_FALSE(timed_out.has_value());
  EXPECT_EQ(timed_out.error().code(), ErrorCode::kTimeout);
  EXPECT_FALSE(failure.never_sent);  // it may have arrived
}

}  // namespace
}  // namespace kfpevents::http
