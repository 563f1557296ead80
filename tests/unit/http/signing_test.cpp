#include "http/signing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/webhook_verifier.hpp"

namespace kfpevents::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SigningTest, MatchesAnIndependentHmacOverIdTimestampAndBody) {
  const std::string key = "0123456789abcdef0123456789abcdef";
  const std::string body = R"({"KfpRunId":"r","Message":"Failed node wf.train: Error"})";
  EXPECT_EQ(SignWebhook(key, "msg_1", 1763881200, body),
            testing::ExpectedSignature(key, "msg_1", "1763881200", body));
  // Any change to what is signed changes the signature.
  EXPECT_NE(SignWebhook(key, "msg_2", 1763881200, body),
            SignWebhook(key, "msg_1", 1763881200, body));
  EXPECT_NE(SignWebhook(key, "msg_1", 1763881201, body),
            SignWebhook(key, "msg_1", 1763881200, body));
}

TEST(SigningTest, WhsecSecretsAreBase64Keys) {
  // "whsec_" + base64("a secret key of 24 bytes")
  Result<std::string> key = SigningKeyFromSecret("whsec_YSBzZWNyZXQga2V5IG9mIDI0IGJ5dGVz");
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, "a secret key of 24 bytes");
  EXPECT_EQ(*SigningKeyFromSecret("plain-secret"), "plain-secret");
}

TEST(SigningTest, ABrokenSecretIsRefusedWithoutQuotingIt) {
  const Status refused = SigningKeyFromSecret("whsec_not*base64!").error();
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), Not(HasSubstr("not*base64!")));
  EXPECT_FALSE(SigningKeyFromSecret(""));
  EXPECT_FALSE(SigningKeyFromSecret("whsec_"));
}

}  // namespace
}  // namespace kfpevents::http
