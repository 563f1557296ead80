#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "kfpevents/subscribers.hpp"
#include "support/loopback_http_server.hpp"
#include "support/silent_tcp_listener.hpp"
#include "support/webhook_verifier.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;
using testing::ScriptedResponse;

Message SampleMessage() {
  return {"msg_0123", R"({"KfpRunId":"r"})", "application/json", {{"X-Extra", "1"}}};
}

std::unique_ptr<Subscriber> SubscriberFor(
    const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  HttpSubscriberOptions options;
  options.url = url;
  options.total_timeout = timeout;
  options.headers = {{"Authorization", "Bearer s3cret"}};
  Result<std::unique_ptr<Subscriber>> subscriber = MakeHttpSubscriber(options);
  EXPECT_TRUE(subscriber) << subscriber.error().ToString();
  return std::move(*subscriber);
}

DeliveryResult DeliverTo(int status, std::vector<std::pair<std::string, std::string>> headers = {},
                         std::string body = "") {
  LoopbackHttpServer server([&](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{status, headers, body};
  });
  return SubscriberFor(server.Url())->Deliver(SampleMessage(), {});
}

TEST(HttpSubscriberTest, PostsTheBodyWithContentTypeIdAndConfiguredHeaders) {
  LoopbackHttpServer server;
  const DeliveryResult result = SubscriberFor(server.Url("/events"))->Deliver(SampleMessage(), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(result.http_status, 204);
  const std::vector<RecordedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/events");
  EXPECT_EQ(requests[0].body, R"({"KfpRunId":"r"})");
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].Header("webhook-id"), "msg_0123");
  EXPECT_EQ(requests[0].Header("X-Extra"), "1");
  EXPECT_EQ(requests[0].Header("Authorization"), "Bearer s3cret");
  EXPECT_EQ(requests[0].Header("Expect"), "");
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(HttpSubscriberTest, SendsATimestampAndNoSignatureWithoutASecret) {
  LoopbackHttpServer server;
  ASSERT_EQ(SubscriberFor(server.Url())->Deliver(SampleMessage(), {}).outcome,
            DeliveryOutcome::kDelivered);
  const RecordedRequest request = server.Requests().at(0);
  EXPECT_NEAR(std::stoll(request.Header("webhook-timestamp")), NowSeconds(), 5);
  EXPECT_EQ(request.Header("webhook-signature"), "");
}

TEST(HttpSubscriberTest, SignsEachAttemptAsStandardWebhooksReceiversVerify) {
  LoopbackHttpServer server([](std::size_t index, const RecordedRequest&) {
    return ScriptedResponse{index == 0 ? 503 : 204, {}, ""};
  });
  HttpSubscriberOptions options;
  options.url = server.Url();
  options.signing_secret = "whsec_YSBzZWNyZXQga2V5IG9mIDI0IGJ5dGVz";  // "a secret key of 24 bytes"
  Result<std::unique_ptr<Subscriber>> subscriber = MakeHttpSubscriber(options);
  ASSERT_TRUE(subscriber);
  EXPECT_EQ((*subscriber)->Deliver(SampleMessage(), {}).outcome, DeliveryOutcome::kRetryable);
  EXPECT_EQ((*subscriber)->Deliver(SampleMessage(), {}).outcome, DeliveryOutcome::kDelivered);
  for (const RecordedRequest& request : server.Requests()) {
    const std::string timestamp = request.Header("webhook-timestamp");
    EXPECT_NEAR(std::stoll(timestamp), NowSeconds(), 300);  // receivers allow 5 minutes
    EXPECT_EQ(request.Header("webhook-signature"),
              testing::ExpectedSignature("a secret key of 24 bytes", request.Header("webhook-id"),
                                         timestamp, request.body));
  }
}

TEST(HttpSubscriberTest, RefusesABrokenSigningSecret) {
  HttpSubscriberOptions options;
  options.url = "http://127.0.0.1:9/hook";
  options.signing_secret = "whsec_***";
  EXPECT_EQ(MakeHttpSubscriber(options).error().code(), ErrorCode::kInvalidArgument);
}

TEST(HttpSubscriberTest, AConfiguredContentTypeReplacesTheFormattersOne) {
  LoopbackHttpServer server;
  HttpSubscriberOptions options;
  options.url = server.Url();
  options.headers = {{"content-type", "application/vnd.kfp+json"}};
  ASSERT_EQ((*MakeHttpSubscriber(options))->Deliver(SampleMessage(), {}).outcome,
            DeliveryOutcome::kDelivered);
  const RecordedRequest request = server.Requests().at(0);
  EXPECT_EQ(request.headers.count("Content-Type") + request.headers.count("content-type"), 1u);
  EXPECT_EQ(request.Header("Content-Type"), "application/vnd.kfp+json");
}

TEST(HttpSubscriberTest, SuccessStatusesAreDelivered) {
  EXPECT_EQ(DeliverTo(200).outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(DeliverTo(202).outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(DeliverTo(204).outcome, DeliveryOutcome::kDelivered);
}

TEST(HttpSubscriberTest, RedirectsAreNotFollowedAndArePermanent) {
  const DeliveryResult result = DeliverTo(301, {{"Location", "http://127.0.0.1:1/elsewhere"}});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanent);
  EXPECT_EQ(result.http_status, 301);
  EXPECT_THAT(result.detail, HasSubstr("redirects are not followed"));
}

TEST(HttpSubscriberTest, ClientErrorsArePermanentWithTheResponseInTheDetail) {
  const DeliveryResult bad_request = DeliverTo(400, {}, "missing field\nKfpRunId");
  EXPECT_EQ(bad_request.outcome, DeliveryOutcome::kPermanent);
  EXPECT_EQ(bad_request.detail, "HTTP 400: missing field KfpRunId");
  EXPECT_EQ(DeliverTo(404).outcome, DeliveryOutcome::kPermanent);
  EXPECT_EQ(DeliverTo(401).outcome, DeliveryOutcome::kPermanent);
}

// A subscriber that echoes what it was sent must not put a secret into the log or the outbox.
TEST(HttpSubscriberTest, SecretsEchoedInAnErrorAreRedacted) {
  const DeliveryResult echoed =
      DeliverTo(401, {}, R"({"error":"invalid api key s3cret","auth":"Bearer s3cret"})");
  EXPECT_EQ(echoed.outcome, DeliveryOutcome::kPermanent);
  EXPECT_THAT(echoed.detail, Not(HasSubstr("s3cret")));
  EXPECT_THAT(echoed.detail, HasSubstr("invalid api key [redacted]"));
  // The message's own headers too (the Azure DevOps callback's token travels there).
  LoopbackHttpServer server([](std::size_t, const RecordedRequest& request) {
    return ScriptedResponse{403, {}, "token " + request.Header("X-Callback-Token") + " expired"};
  });
  Message message = SampleMessage();
  message.headers = {{"X-Callback-Token", "azdo-T0KEN-123"}};
  const DeliveryResult refused = SubscriberFor(server.Url())->Deliver(message, {});
  EXPECT_EQ(refused.detail, "HTTP 403: token [redacted] expired");
}

// A message's secret that is part of a configured one must not leave the rest of that one behind.
TEST(HttpSubscriberTest, ASecretInsideAnotherIsRedactedWhole) {
  LoopbackHttpServer server([](std::size_t, const RecordedRequest& request) {
    return ScriptedResponse{403, {}, "bad key " + request.Header("X-Api-Key")};
  });
  HttpSubscriberOptions options;
  options.url = server.Url();
  options.headers = {{"X-Api-Key", "s3cret-XYZ123"}};
  Message message = SampleMessage();
  message.headers = {{"X-Callback-Token", "s3cret"}};
  const DeliveryResult refused = (*MakeHttpSubscriber(options))->Deliver(message, {});
  EXPECT_EQ(refused.detail, "HTTP 403: bad key [redacted]");
}

TEST(HttpSubscriberTest, TimeoutThrottlingAndServerErrorsAreRetryable) {
  for (int status : {408, 429, 500, 502, 503}) {
    const DeliveryResult result = DeliverTo(status);
    EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable) << status;
    EXPECT_EQ(result.http_status, status);
    EXPECT_FALSE(result.retry_after.has_value());
  }
}

TEST(HttpSubscriberTest, RetryAfterIsReadInSecondsAndAsAnHttpDate) {
  EXPECT_EQ(DeliverTo(429, {{"Retry-After", "7"}}).retry_after, std::chrono::seconds(7));
  const auto in_two_minutes = std::chrono::system_clock::now() + std::chrono::seconds(120);
  const std::time_t when = std::chrono::system_clock::to_time_t(in_two_minutes);
  char date[64];
  std::strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&when));
  const auto from_date = DeliverTo(503, {{"Retry-After", date}}).retry_after;
  ASSERT_TRUE(from_date.has_value());
  EXPECT_GE(from_date->count(), 110);
  EXPECT_LE(from_date->count(), 121);
  EXPECT_FALSE(DeliverTo(503, {{"Retry-After", "soon"}}).retry_after.has_value());
  // A Retry-After on a permanent failure means nothing.
  EXPECT_FALSE(DeliverTo(400, {{"Retry-After", "7"}}).retry_after.has_value());
}

TEST(HttpSubscriberTest, ARefusedConnectionIsRetryable) {
  const int port = testing::UnusedLoopbackPort();
  const DeliveryResult result = SubscriberFor("http://127.0.0.1:" + std::to_string(port) + "/hook")
                                    ->Deliver(SampleMessage(), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable);
  EXPECT_EQ(result.http_status, 0);
  EXPECT_FALSE(result.detail.empty());
}

TEST(HttpSubscriberTest, AServerThatNeverAnswersTimesOutAsRetryable) {
  testing::SilentTcpListener silent;
  const DeliveryResult result =
      SubscriberFor("http://127.0.0.1:" + std::to_string(silent.port()) + "/hook",
                    std::chrono::milliseconds(300))
          ->Deliver(SampleMessage(), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable);
  EXPECT_THAT(result.detail, HasSubstr("imed out"));
}

TEST(HttpSubscriberTest, AStopRequestAbortsADeliveryInFlight) {
  std::stop_source stop;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // The server requests the stop once the request is in flight, then hangs.
  LoopbackHttpServer server([&](std::size_t, const RecordedRequest&) {
    stop.request_stop();
    released.wait_for(std::chrono::seconds(30));
    return ScriptedResponse{200, {}, ""};
  });
  const auto started = std::chrono::steady_clock::now();
  const DeliveryResult result = SubscriberFor(server.Url(), std::chrono::seconds(60))
                                    ->Deliver(SampleMessage(), stop.get_token());
  release.set_value();
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable);
  EXPECT_THAT(result.detail, HasSubstr("cancelled"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

TEST(HttpSubscriberTest, OnlyACappedPartOfAHugeResponseIsRead) {
  const std::string huge(1024 * 1024, 'x');
  LoopbackHttpServer server([&](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{500, {}, huge};
  });
  HttpSubscriberOptions options;
  options.url = server.Url();
  options.max_response_bytes = 1024;
  const DeliveryResult result = (*MakeHttpSubscriber(options))->Deliver(SampleMessage(), {});
  EXPECT_EQ(result.outcome, DeliveryOutcome::kRetryable);
  EXPECT_EQ(result.http_status, 500);
  EXPECT_LT(result.detail.size(), 300u);
  // A 2xx with a huge body is still delivered.
  LoopbackHttpServer ok_server([&](std::size_t, const RecordedRequest&) {
    return ScriptedResponse{200, {}, huge};
  });
  options.url = ok_server.Url();
  EXPECT_EQ((*MakeHttpSubscriber(options))->Deliver(SampleMessage(), {}).outcome,
            DeliveryOutcome::kDelivered);
}

TEST(HttpSubscriberTest, ReusesItsConnectionAcrossDeliveries) {
  LoopbackHttpServer server;
  auto subscriber = SubscriberFor(server.Url());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(subscriber->Deliver(SampleMessage(), {}).outcome, DeliveryOutcome::kDelivered);
  }
  const std::vector<RecordedRequest> requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].remote_port, requests[0].remote_port);
  EXPECT_EQ(requests[2].remote_port, requests[0].remote_port);
}

TEST(HttpSubscriberTest, RefusesUrlsThatAreNotHttpWithoutEchoingThem) {
  for (const char* url : {"ftp://example.com/x", "example.com/hook", "http://"}) {
    HttpSubscriberOptions options;
    options.url = url;
    Result<std::unique_ptr<Subscriber>> subscriber = MakeHttpSubscriber(options);
    ASSERT_FALSE(subscriber) << url;
    EXPECT_EQ(subscriber.error().code(), ErrorCode::kInvalidArgument);
  }
  HttpSubscriberOptions secret;
  secret.url = "gopher://hooks.example.com/T0KEN-SECRET";
  EXPECT_THAT(MakeHttpSubscriber(secret).error().message(),
              ::testing::Not(HasSubstr("T0KEN-SECRET")));
}

TEST(HttpSubscriberTest, AMessagesDestinationReplacesTheConfiguredUrl) {
  LoopbackHttpServer configured;
  LoopbackHttpServer callback;
  Message message = SampleMessage();
  message.destination = callback.Url("/org/project/_apis/x?api-version=2.0-preview.1");
  EXPECT_EQ(SubscriberFor(configured.Url())->Deliver(message, {}).outcome,
            DeliveryOutcome::kDelivered);
  EXPECT_TRUE(configured.Requests().empty());
  ASSERT_EQ(callback.Requests().size(), 1u);
  EXPECT_EQ(callback.Requests()[0].path, "/org/project/_apis/x");
  EXPECT_EQ(callback.Requests()[0].Param("api-version"), "2.0-preview.1");
}

TEST(HttpSubscriberTest, WithoutAUrlEachMessageMustNameAnHttpDestination) {
  HttpSubscriberOptions options;  // no url: an azure-devops subscriber
  Result<std::unique_ptr<Subscriber>> subscriber = MakeHttpSubscriber(options);
  ASSERT_TRUE(subscriber);
  const DeliveryResult none = (*subscriber)->Deliver(SampleMessage(), {});
  EXPECT_EQ(none.outcome, DeliveryOutcome::kPermanent);
  EXPECT_THAT(none.detail, HasSubstr("no URL"));
  Message bad = SampleMessage();
  bad.destination = "file:///etc/passwd";
  const DeliveryResult refused = (*subscriber)->Deliver(bad, {});
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kPermanent);
  EXPECT_THAT(refused.detail, HasSubstr("the message's destination"));
}

}  // namespace
}  // namespace kfpevents
