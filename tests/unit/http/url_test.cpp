#include "http/url.hpp"

#include <gtest/gtest.h>

namespace kfpevents::http {
namespace {

TEST(CheckWebhookUrlTest, AcceptsAbsoluteHttpAndHttpsUrls) {
  for (const char* url : {"http://127.0.0.1:8080/hook", "https://hooks.example.com/a?b=c",
                          "http://notifier.kubeflow.svc.cluster.local/events", "HTTPS://X.ORG"}) {
    EXPECT_TRUE(CheckWebhookUrl(url).ok()) << url;
  }
}

TEST(CheckWebhookUrlTest, RejectsWithAReasonAndNeverEchoesTheUrl) {
  EXPECT_EQ(CheckWebhookUrl("").message(), "URL is empty");
  EXPECT_EQ(CheckWebhookUrl("hooks.example.com/x").message(),
            "not a valid absolute URL (expected http://... or https://...)");
  EXPECT_EQ(CheckWebhookUrl("ftp://example.com/secret-token").message(),
            "URL scheme must be http or https, not \"ftp\"");
  EXPECT_FALSE(CheckWebhookUrl("http://").ok());
  EXPECT_FALSE(CheckWebhookUrl("http://exa mple.com/").ok());
}

}  // namespace
}  // namespace kfpevents::http
